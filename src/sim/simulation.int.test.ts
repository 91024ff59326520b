import { afterAll, describe, expect, it } from "vitest";
import { initialiseLedger } from "../cli/initialise.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import { temporaryFolder } from "../test-support/ledger.js";
import type { CityDriver, SystemScore } from "./driver.js";
import { ProcessDriver } from "./driver.process.js";
import { runSimulation, type SimulationOptions } from "./simulation.js";

/**
 * Small audited runs through the real ingest, access and appeal services into SQLite files,
 * faults on: duplicates, late, reordered and misdirected reports, and a crash of the ingesting
 * process (a child process killed with SIGKILL) and its restart. Needs dist/ (npm test builds).
 */
const folders: { remove: () => void }[] = [];
afterAll(() => {
  for (const folder of folders) folder.remove();
});

const endAt = Date.parse("2026-11-20T00:00:00Z");

async function simulate(
  options: Omit<SimulationOptions, "endAt" | "regions"> & { regions?: number },
  wrap: (driver: CityDriver) => CityDriver = (driver) => driver,
) {
  const folder = temporaryFolder("sim");
  folders.push(folder);
  const path = sqliteDatabasePath(folder.path);
  const store = openSqliteStore({ path });
  try {
    await initialiseLedger(store, { at: endAt - options.days * 86_400_000, by: "test" });
    const driver = wrap(new ProcessDriver(store, path));
    return await runSimulation(driver, { regions: 12, endAt, ...options });
  } finally {
    await store.close();
  }
}

describe("the simulated city", () => {
  it("passes the audit: 2,000 subjects, 60 days, faults and a crash", async () => {
    const { report } = await simulate({
      subjects: 2_000,
      days: 60,
      seed: 20_261_126,
      faults: true,
    });
    expect(report.audit.differences).toEqual([]);
    expect(report.audit).toMatchObject({ ok: true, subjectsChecked: 2_000 });
    expect(report.audit.entriesChecked).toBeGreaterThan(5_000);
    // The crash: the killed process had committed some batches, the restart the rest.
    expect(report.crash?.committedBeforeCrash).toBeGreaterThan(0);
    // Every report sent twice came back a duplicate (the crash's redeliveries count as accepted).
    expect(report.outcomes.duplicate).toBeGreaterThan(0);
    expect(report.outcomes.duplicate).toBeLessThanOrEqual(report.delivery.duplicates);
    expect(report.delivery.late).toBeGreaterThan(0);
    expect(report.delivery.reordered).toBeGreaterThan(0);
    expect(
      report.outcomes.unknown_subject + report.outcomes.source_not_authorised_for_type,
    ).toBeGreaterThan(0);
    // Cameras err; reviewers and appeals catch some of it.
    expect(report.wronglyAttributed.recorded).toBeGreaterThan(5);
    expect(
      report.wronglyAttributed.caughtAtReview + report.wronglyAttributed.reversedOnAppeal,
    ).toBeGreaterThan(0);
    expect(report.reviews.confirmed + report.reviews.rejected).toBeGreaterThan(0);
    expect(report.appeals.opened).toBeGreaterThan(0);
    // Partners ask, some without consent, and are refused.
    expect(report.inquiries.allowed).toBeGreaterThan(0);
    expect(report.inquiries.refused).toBeGreaterThan(0);
    expect(report.ratingsOverTime.length).toBeGreaterThan(10);
    expect(Object.keys(report.ratingsOverTime[0]?.byRegion ?? {})).toHaveLength(12);
    expect(report.eventsByType.map((figures) => figures.type)).toHaveLength(15);
  });

  it("fails the audit when the system reports a score the model does not expect", async () => {
    const lying = (driver: CityDriver): CityDriver =>
      Object.assign(Object.create(driver) as CityDriver, {
        finalScores: async function* (
          ids: readonly string[],
          at: number,
          options: { entries: boolean },
        ) {
          for await (const score of driver.finalScores(ids, at, options)) {
            yield score.subjectId === "c-000042"
              ? ({ ...score, score: (score.score ?? 0) + 1 } satisfies SystemScore)
              : score;
          }
        },
      });
    const { report } = await simulate({ subjects: 100, days: 10, seed: 5 }, lying);
    expect(report.audit.ok).toBe(false);
    expect(report.audit.firstDifferingSubject).toBe("c-000042");
    expect(report.audit.differences[0]).toMatchObject({ kind: "score", subjectId: "c-000042" });
  });

  it("fails the audit when the system prices a report otherwise", async () => {
    let changed = false;
    const lying = (driver: CityDriver): CityDriver =>
      Object.assign(Object.create(driver) as CityDriver, {
        ingest: async (source: string, events: readonly object[], at: number) => {
          const answers = await driver.ingest(source, events, at);
          if (changed || answers[0]?.kind !== "accepted") return answers;
          changed = true;
          return [{ ...answers[0], points: (answers[0].points ?? 0) + 1 }, ...answers.slice(1)];
        },
      });
    const { report } = await simulate({ subjects: 100, days: 5, seed: 6 }, lying);
    expect(report.audit.ok).toBe(false);
    expect(report.audit.differences[0]?.kind).toBe("ingest");
    expect(report.audit.differences[0]?.message).toMatch(/the system priced/);
  });
});
