import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Rulebook } from "../core/rulebook.js";
import { days } from "../core/time.js";
import { openDatabase, sqliteDatabasePath } from "../store/sqlite/sqlite.connection.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";
import { seededRandom } from "./random.js";
import type { BenchResult } from "./report.js";

export type IngestBenchOptions = Readonly<{
  events: number;
  subjects: number;
  rulebookPath: string;
}>;

const civic = fileURLToPath(new URL("../../bin/civic.js", import.meta.url));
const sourceName = "bench-agency";
const baselineBatchRows = 5_000;

type GeneratedEvent = Readonly<{ id: string; subject: number; rule: number; occurredAt: number }>;

/**
 * Durable ingest through the real path, `civic ingest FILE` in its own process (read, parse,
 * validate, deduplicate, price, commit entries with scores and ratings), beside bare prepared
 * INSERTs of the same rows into the same table with the same keys in batched transactions.
 * The same run reports the ingesting process's peak resident memory.
 */
export async function benchIngest(
  rulebook: Rulebook,
  options: IngestBenchOptions,
): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-"));
  try {
    const now = Date.now();
    const events = generateEvents(rulebook, options, now);
    const file = join(folder, "events.ndjson");
    await writeEventFile(file, events, rulebook);
    const ledgerData = join(folder, "ledger");
    const baselineData = join(folder, "baseline");
    await prepareLedger(ledgerData, options, now);
    await prepareLedger(baselineData, options, now);

    const run = await runIngest(ledgerData, file);
    const baselineSeconds = insertBare(baselineData, events, rulebook, now);
    const eventsPerSecond = options.events / run.seconds;
    const label = `${options.events.toLocaleString("en-US")} events, ${options.subjects.toLocaleString("en-US")} subjects`;
    return [
      {
        name: `durable ingest: civic ingest, ${label}, SQLite`,
        figure: eventsPerSecond,
        unit: "events/s",
        baseline: options.events / baselineSeconds,
        baselineName: "bare prepared INSERTs, same rows and keys",
        goal: ">= 0.6 of baseline and >= 100,000 events/s",
        met:
          eventsPerSecond >= 100_000 && eventsPerSecond >= 0.6 * (options.events / baselineSeconds),
      },
      {
        name: `peak memory (RSS) of civic ingest, ${options.events.toLocaleString("en-US")}-line file`,
        figure: run.peakResidentBytes / 1_048_576,
        unit: "MB",
        baseline: undefined,
        baselineName: undefined,
        goal: "<= 300 MB",
        met: run.peakResidentBytes <= 300 * 1_048_576,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function generateEvents(
  rulebook: Rulebook,
  options: IngestBenchOptions,
  now: number,
): GeneratedEvent[] {
  const random = seededRandom(1);
  return Array.from({ length: options.events }, (_, index) => ({
    // Sources number their reports; the ids ascend as most sources' ids do.
    id: `e${String(index).padStart(8, "0")}`,
    subject: Math.floor(random() * options.subjects),
    rule: Math.floor(random() * rulebook.rules.length),
    occurredAt: now - Math.floor(random() * days(365)),
  }));
}

const subjectId = (index: number) => `s${String(index).padStart(7, "0")}`;

async function writeEventFile(file: string, events: readonly GeneratedEvent[], rulebook: Rulebook) {
  const stream = createWriteStream(file);
  for (const event of events) {
    const line = JSON.stringify({
      id: event.id,
      subject: subjectId(event.subject),
      type: rulebook.rules[event.rule]?.type,
      occurredAt: new Date(event.occurredAt).toISOString(),
      evidence: { description: "Officer's report", reference: `ref-${event.id}` },
    });
    if (!stream.write(`${line}\n`))
      await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function prepareLedger(
  data: string,
  options: IngestBenchOptions,
  now: number,
): Promise<void> {
  await civicCommand(["--data", data, "init"]);
  const store = openSqliteStore({ path: sqliteDatabasePath(data) });
  try {
    const subjects = Array.from({ length: options.subjects }, (_, index) => ({
      id: subjectId(index),
      region: `r${index % 12}`,
    }));
    for (let start = 0; start < subjects.length; start += 10_000) {
      await store.enrollSubjects(subjects.slice(start, start + 10_000), now - days(400));
    }
    await store.addSource(
      { name: sourceName, kind: "agency", allowedTypes: ["*"] },
      now - days(400),
    );
  } finally {
    await store.close();
  }
}

type IngestRun = Readonly<{ seconds: number; peakResidentBytes: number }>;

async function runIngest(data: string, file: string): Promise<IngestRun> {
  const start = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [civic, "--data", data, "ingest", file, "--source", sourceName, "--batch-size", "10000"],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  let peakResidentBytes = 0;
  const poll = setInterval(() => {
    try {
      // VmHWM is the process's own high-water mark of resident memory.
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kilobytes = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakResidentBytes = Math.max(peakResidentBytes, kilobytes * 1024);
    } catch {
      // The process has just exited; the last reading stands.
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`civic ingest exited with ${code}`);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, peakResidentBytes };
}

/** The baseline: the same entry rows, prepared once, inserted in batched transactions. */
function insertBare(
  data: string,
  events: readonly GeneratedEvent[],
  rulebook: Rulebook,
  now: number,
): number {
  const database = openDatabase({ path: sqliteDatabasePath(data) });
  try {
    const typeIds = new Map<string, number>();
    const insertType = database.prepare("INSERT OR IGNORE INTO event_types (type) VALUES (?)");
    const selectType = database.prepare("SELECT id FROM event_types WHERE type = ?").pluck();
    for (const rule of rulebook.rules) {
      insertType.run(rule.type);
      typeIds.set(rule.type, selectType.get(rule.type) as number);
    }
    const sourceId = database
      .prepare("SELECT id FROM sources WHERE name = ?")
      .pluck()
      .get(sourceName);
    const insert = database.prepare(
      `INSERT INTO entries (source_id, event_key, payload_hash, subject_id, type_id, occurred_at,
         received_at, evidence, confidence, region, attributes, points, initial_status, status,
         effective_at, expires_at, rulebook_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 'effective', 'effective', ?, ?, 1)`,
    );
    const insertBatch = database.transaction((batch: readonly GeneratedEvent[]) => {
      for (const event of batch) {
        const rule = rulebook.rules[event.rule] as Rulebook["rules"][number];
        insert.run(
          sourceId,
          event.id,
          `hash-${event.id}`,
          event.subject + 1,
          typeIds.get(rule.type),
          event.occurredAt,
          now,
          JSON.stringify({ description: "Officer's report", reference: `ref-${event.id}` }),
          rule.points,
          event.occurredAt,
          event.occurredAt + rule.expiresAfterMilliseconds,
        );
      }
    });
    const start = process.hrtime.bigint();
    for (let index = 0; index < events.length; index += baselineBatchRows) {
      insertBatch(events.slice(index, index + baselineBatchRows));
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    database.close();
  }
}

function civicCommand(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [civic, ...args], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`civic ${args.join(" ")} exited with ${code}`)),
    );
  });
}
