/**
 * The simulated city's ingesting process, run as a child process so that it can really crash:
 * reads a jobs file (one `{"source", "event"}` per line), ingests each source's run of events
 * through the real ingest service into the SQLite ledger at a fixed clock, and writes one
 * `{"position", "answer"}` line per event as its batch commits, then `{"done": true}`.
 *
 *   node dist/sim/ingest.process.js DATABASE JOBS AT BATCH_SIZE
 */
import { readFileSync, writeSync } from "node:fs";
import type { Instant } from "../core/time.js";
import { type DecodedEvent, decodeEvent, ingestDecoded } from "../ingest/ingest.service.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";
import { answerOf } from "./driver.process.js";

type Job = Readonly<{ source: string; event: unknown }>;

async function main(argv: readonly string[]): Promise<void> {
  const [databasePath, jobsPath, atText, batchText] = argv;
  if (!databasePath || !jobsPath || !atText || !batchText) {
    throw new Error("usage: ingest.process.js DATABASE JOBS AT BATCH_SIZE");
  }
  const at: Instant = Number(atText);
  const batchSize = Number(batchText);
  const jobs = readFileSync(jobsPath, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Job);
  const store = openSqliteStore({ path: databasePath, checkpointInBackground: false });
  try {
    let start = 0;
    while (start < jobs.length) {
      const source = (jobs[start] as Job).source;
      let end = start;
      while (end < jobs.length && (jobs[end] as Job).source === source) end++;
      const profile = await store.source(source);
      if (!profile) throw new Error(`no source '${source}'`);
      const decoded: DecodedEvent[] = jobs
        .slice(start, end)
        .map((job, index) => ({ position: start + index, decoded: decodeEvent(job.event) }));
      await ingestDecoded(decoded, {
        store,
        source: profile,
        clock: () => at,
        batchSize,
        onOutcome: (position, outcome) => {
          writeLine({ position, answer: answerOf(outcome) });
        },
      });
      start = end;
    }
    writeLine({ done: true });
  } finally {
    await store.close();
  }
}

/**
 * A blocking write to the inherited pipe: the process cannot run ahead of its reader by more
 * than the pipe's buffer, so a kill after its first answers lands in the middle of the run.
 * (`process.stdout` would queue the lines in memory and let it finish first.)
 */
function writeLine(value: unknown): void {
  const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
  for (let written = 0; written < bytes.length; ) {
    written += writeSync(1, bytes, written, bytes.length - written);
  }
}

await main(process.argv.slice(2));
