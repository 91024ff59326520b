import { spawn } from "node:child_process";
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { days, formatInstant } from "../core/time.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import type { LedgerStore } from "../store/store.js";
import { civicBin, ndjson, runCivic, temporaryFolder } from "../test-support/ledger.js";

/**
 * Kill -9 in the middle of an ingestion, then check that the ledger holds exactly the batches
 * that committed: every line up to the last reported commit, no half batch, scores that verify,
 * and a rerun of the same file that only adds what is missing.
 */
const eventCount = 100_000;
const subjectCount = 5_000;
const batchSize = 2_000;
const seed = Number(process.env.CIVIC_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

const folder = temporaryFolder("crash");
const data = join(folder.path, "data");
afterAll(() => folder.remove());

/** mulberry32: a tiny seeded generator, so a failing run can be replayed from its seed. */
function seededRandom(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const types = [
  "traffic.red_light",
  "traffic.jaywalking",
  "public.littering",
  "civic.volunteering",
  "commerce.healthy_purchase",
  "finance.loan_repaid_on_time",
  "utilities.unpaid_bill",
];

/** Writes the events file; returns the ids of the lines the ledger must accept, in file order. */
function writeEvents(path: string, random: () => number): string[] {
  const start = Date.now() - days(300);
  const good: string[] = [];
  const descriptor = openSync(path, "w");
  let chunk: string[] = [];
  for (let index = 0; index < eventCount; index++) {
    const id = `e-${index}`;
    const subject = `c-${Math.floor(random() * subjectCount)}`;
    const occurredAt = formatInstant(start + Math.floor((index / eventCount) * days(299)));
    const type = types[Math.floor(random() * types.length)];
    if (index % 997 === 13) chunk.push(`{"id":"${id}","subject":`);
    else if (index % 1009 === 7) {
      chunk.push(
        JSON.stringify({
          id,
          subject: "c-unknown",
          type,
          occurredAt,
          evidence: { description: "x" },
        }),
      );
    } else {
      chunk.push(
        JSON.stringify({
          id,
          subject,
          type,
          occurredAt,
          evidence: { description: `report ${index}` },
        }),
      );
      good.push(id);
    }
    if (chunk.length === 10_000) {
      writeSync(descriptor, `${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  writeSync(descriptor, `${chunk.join("\n")}\n`);
  closeSync(descriptor);
  return good;
}

type Committed = { lastLine: number; accepted: number; acceptedTotal: number };

/** Runs the ingestion and kills it with SIGKILL after `commitsBeforeKill` reported commits. */
function ingestAndKill(
  file: string,
  commitsBeforeKill: number,
  delayMilliseconds: number,
): Promise<{ committed: Committed[]; finished: boolean }> {
  const child = spawn(
    process.execPath,
    [
      civicBin,
      "ingest",
      file,
      "--source",
      "feed",
      "--json",
      "--batch-size",
      String(batchSize),
      "--data",
      data,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const committed: Committed[] = [];
  let finished = false;
  createInterface({ input: child.stdout }).on("line", (line) => {
    let value: { committed?: Committed; summary?: unknown };
    try {
      value = JSON.parse(line);
    } catch {
      return; // A line cut by the kill was never reported.
    }
    if (value.summary) finished = true;
    if (!value.committed) return;
    committed.push(value.committed);
    if (committed.length === commitsBeforeKill) {
      setTimeout(() => child.kill("SIGKILL"), delayMilliseconds);
    }
  });
  return new Promise((resolve) => child.once("close", () => resolve({ committed, finished })));
}

async function storedEventIds(store: LedgerStore): Promise<Set<string>> {
  const ids = new Set<string>();
  let after = 0;
  for (;;) {
    const page = await store.subjectsPage(after, 1_000);
    if (page.length === 0) return ids;
    const entries = await store.entriesOfSubjects(page.map((subject) => subject.internalId));
    for (const list of entries.values()) for (const entry of list) ids.add(entry.eventId);
    after = page.at(-1)?.internalId ?? after;
  }
}

describe("civic ingest killed with SIGKILL", () => {
  it("keeps exactly the committed batches, verifies, and resumes by rerunning", async () => {
    console.log(`ingest crash test seed ${seed} (replay with CIVIC_CRASH_SEED=${seed})`);
    const random = seededRandom(seed);
    expect((await runCivic(["init"], { data })).status).toBe(0);
    expect(
      (await runCivic(["source", "add", "feed", "--kind", "agency", "--types", "*"], { data }))
        .status,
    ).toBe(0);
    const subjects = join(folder.path, "subjects.ndjson");
    writeFileSync(
      subjects,
      Array.from(
        { length: subjectCount },
        (_, index) => `{"id":"c-${index}","region":"r${index % 12}"}\n`,
      ).join(""),
    );
    expect((await runCivic(["enroll", subjects], { data })).status).toBe(0);
    const file = join(folder.path, "events.ndjson");
    const good = writeEvents(file, random);

    const batches = Math.ceil(eventCount / batchSize);
    const commitsBeforeKill = 1 + Math.floor(random() * (batches / 2));
    const delay = Math.floor(random() * 40);
    const { committed, finished } = await ingestAndKill(file, commitsBeforeKill, delay);
    console.log(
      `killed after ${committed.length} reported commits (planned ${commitsBeforeKill} + ${delay} ms); finished: ${finished}`,
    );
    expect(finished).toBe(false);
    const last = committed.at(-1) as Committed;
    expect(last).toBeDefined();

    const store = openSqliteStore({ path: sqliteDatabasePath(data) });
    let stored: Set<string>;
    try {
      stored = await storedEventIds(store);
      expect((await store.counts()).entries).toBe(stored.size);
    } finally {
      await store.close();
    }
    // Batches commit whole and in order: the stored events are a prefix of the good lines.
    expect(stored.size).toBeGreaterThanOrEqual(last.acceptedTotal);
    expect(stored.size).toBeLessThanOrEqual(last.acceptedTotal + batchSize);
    const prefix = good.slice(0, stored.size);
    expect(prefix.filter((id) => !stored.has(id))).toEqual([]);
    // Every good line up to the last reported commit is in.
    const lineOf = (id: string) => Number(id.slice(2)) + 1;
    const reportedGood = good.filter((id) => lineOf(id) <= last.lastLine);
    expect(reportedGood.length).toBe(last.acceptedTotal);
    expect(reportedGood.every((id) => stored.has(id))).toBe(true);

    const verified = await runCivic(["verify"], { data });
    expect(verified.stdout).toContain("every score matches");
    expect(verified.status).toBe(0);

    const rerun = await runCivic(
      ["ingest", file, "--source", "feed", "--json", "--batch-size", String(batchSize)],
      { data },
    );
    expect(rerun.status).toBe(0);
    const summary = (ndjson(rerun.stdout).at(-1) as { summary: Record<string, number> }).summary;
    const malformed = Math.ceil((eventCount - 13) / 997);
    expect(summary).toEqual({
      accepted: good.length - stored.size,
      duplicate: stored.size,
      id_reused_with_different_payload: 0,
      unknown_event_type: 0,
      unknown_subject: eventCount - good.length - malformed,
      source_not_authorised_for_type: 0,
      occurred_in_future: 0,
      invalid_field: 0,
      malformed_json: malformed,
      too_large: 0,
    });
    const again = await runCivic(["verify", "--json"], { data });
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      entries: good.length,
      subjects: subjectCount,
    });
  });
});
