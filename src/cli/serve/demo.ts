import { existsSync } from "node:fs";
import type { Instant } from "../../core/time.js";
import { type DemoCity, demoCity, demoStartAt, seedDemoCity } from "../../sim/demo.js";
import type { SqliteStore } from "../../store/sqlite/sqlite.store.js";
import type { CliContext } from "../context.js";
import { startProgress } from "../progress.js";
import { demoSignInsPath, demoSignInsText, writeDemoSignIns } from "./demo-sign-ins.js";

/**
 * Whether this start seeds the demo city: only on a fresh data folder (no rulebook yet) and
 * without --no-demo, so a restart never seeds again. The demo's history starts before now, and
 * the rulebook must be in force from its first day.
 */
export async function planDemo(
  store: SqliteStore,
  { enabled, now }: Readonly<{ enabled: boolean; now: Instant }>,
): Promise<Readonly<{ seed: boolean; initialiseAt: Instant }>> {
  const seed = enabled && (await store.currentRulebook()) === undefined;
  return { seed, initialiseAt: seed ? demoStartAt(now) : now };
}

/** Seeds the demo city, with a progress bar at a terminal. */
export async function seedDemo(
  store: SqliteStore,
  context: Readonly<{ cli: CliContext; databasePath: string; now: Instant }>,
): Promise<DemoCity> {
  const { cli } = context;
  cli.io.stdout(
    `seeding the demo city: ${demoCity.subjects.toLocaleString("en-US")} subjects in ${demoCity.regions} regions, ${demoCity.days} days up to now (--no-demo starts empty)\n`,
  );
  const progress = startProgress(cli.io, { enabled: true, total: demoCity.days, unit: "days" });
  try {
    return await seedDemoCity(store, {
      databasePath: context.databasePath,
      now: context.now,
      onProgress: ({ day }) => progress.update(day),
    });
  } finally {
    progress.stop();
  }
}

/** Prints the demo's sign-ins once it listens (and keeps them, mode 0600, in the data folder). */
export async function announceDemo(
  cli: CliContext,
  demo: DemoCity | undefined,
  context: Readonly<{ url: string; dataDirectory: string; adminKeyPath: string }>,
): Promise<void> {
  if (!demo) {
    const path = demoSignInsPath(context.dataDirectory);
    if (existsSync(path)) cli.io.stdout(`civic: the demo city's sign-ins are in ${path}\n`);
    return;
  }
  const text = demoSignInsText(demo, context);
  await writeDemoSignIns(context.dataDirectory, text);
  cli.io.stdout(text);
  if (!demo.report.audit.ok) {
    cli.io.stderr(
      `civic: the demo city's audit found ${demo.report.audit.differenceCount} differences (seed ${demo.report.seed}, first differing subject ${demo.report.audit.firstDifferingSubject ?? "none named"})\n`,
    );
  }
}
