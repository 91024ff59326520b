import Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { days } from "../../core/time.js";
import { temporaryFolder } from "../../test-support/ledger.js";
import {
  applyHistoryOperation,
  expectedHistory,
  historyOperation,
  historyQueryShape,
  readHistory,
} from "../contract/history.support.js";
import { dayAfterStart, item, seedLedger, start } from "../contract/support.js";
import type { LedgerStore } from "../store.js";
import { HistorySealer, type SealLimits, sealLimitsDefault } from "./sqlite.history.seal.js";
import { openSqliteStore, sqliteDatabasePath } from "./sqlite.store.js";

const folders: { remove: () => void }[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const folder of folders.splice(0)) folder.remove();
});

function databasePath(): string {
  const folder = temporaryFolder("sealed-history");
  folders.push(folder);
  return sqliteDatabasePath(folder.path);
}

function openStore(path: string) {
  const store = openSqliteStore({ path, cacheMegabytes: 8 });
  closers.push(() => store.close());
  return store;
}

/** Another connection to the file, as maintenance in another process would have. */
function connect(path: string): Database.Database {
  const database = new Database(path);
  database.pragma("busy_timeout = 5000");
  closers.push(() => {
    database.close();
  });
  return database;
}

/** Tiny limits: a handful of events make segments, rounds and cuts. */
const tinyLimits: fc.Arbitrary<SealLimits> = fc.record({
  recentSegmentEntries: fc.integer({ min: 1, max: 6 }),
  baseSegmentEvents: fc.integer({ min: 1, max: 8 }),
  baseSegmentSubjectsMax: fc.integer({ min: 1, max: 4 }),
  roundRecentEventsMin: fc.integer({ min: 1, max: 10 }),
  roundBaseDivisor: fc.integer({ min: 1, max: 4 }),
  roundChangesMax: fc.integer({ min: 1, max: 5 }),
  roundUncoveredSubjectsMax: fc.integer({ min: 1, max: 3 }),
});

/** Writes that bypass the store, which the triggers must still catch. */
const rawChange = fc.oneof(
  fc.record({
    kind: fc.constant("shift" as const),
    entry: fc.integer({ min: 1, max: 30 }),
    days: fc.integer({ min: -30, max: 30 }),
  }),
  fc.record({
    kind: fc.constant("move" as const),
    entry: fc.integer({ min: 1, max: 30 }),
    subject: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant("region" as const),
    subject: fc.integer({ min: 1, max: 5 }),
    region: fc.constantFrom("north", "west"),
  }),
  fc.record({ kind: fc.constant("delete" as const), entry: fc.integer({ min: 1, max: 30 }) }),
);
type RawChange = typeof rawChange extends fc.Arbitrary<infer Value> ? Value : never;

const step = fc.oneof(
  { weight: 6, arbitrary: historyOperation.map((operation) => ({ operation })) },
  { weight: 4, arbitrary: fc.record({ sealSteps: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ sealAll: fc.constant(true) }) },
  { weight: 3, arbitrary: rawChange.map((raw) => ({ raw })) },
);

function applyRaw(database: Database.Database, change: RawChange): void {
  if (change.kind === "shift") {
    database
      .prepare("UPDATE entries SET occurred_at = occurred_at + ? WHERE id = ?")
      .run(days(change.days), change.entry);
  } else if (change.kind === "move") {
    database
      .prepare("UPDATE entries SET subject_id = ? WHERE id = ?")
      .run(change.subject, change.entry);
  } else if (change.kind === "region") {
    database
      .prepare("UPDATE subjects SET region = ? WHERE internal_id = ?")
      .run(change.region, change.subject);
  } else {
    database.pragma("foreign_keys = OFF");
    database.prepare("DELETE FROM entries WHERE id = ?").run(change.entry);
    database.pragma("foreign_keys = ON");
  }
}

async function expectSameHistory(
  sealed: LedgerStore,
  rows: LedgerStore,
  query: Parameters<typeof readHistory>[1],
): Promise<void> {
  const fromRows = await readHistory(rows, query);
  expect((await readHistory(sealed, query)).subjects).toEqual(fromRows.subjects);
  expect(fromRows.subjects).toEqual(await expectedHistory(rows, query));
}

describe("the columnar copy of the history", () => {
  it("reads as the rows do, whatever was sealed and whatever changed since (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 8, maxLength: 24 }),
        tinyLimits,
        historyQueryShape,
        async (steps, limits, shape) => {
          // The same ledger twice: one sealed as it goes, one never, read from rows alone.
          const sealedPath = databasePath();
          const rowsPath = databasePath();
          const sealed = openStore(sealedPath);
          const rows = openStore(rowsPath);
          const sources = await seedLedger(sealed);
          const rowSources = await seedLedger(rows);
          const sealedRaw = connect(sealedPath);
          const rowsRaw = connect(rowsPath);
          const sealer = new HistorySealer(sealedRaw, limits);
          let now = start;
          for (const [serial, next] of steps.entries()) {
            if ("operation" in next) {
              await applyHistoryOperation(rows, rowSources, next.operation, { now, serial });
              now = await applyHistoryOperation(sealed, sources, next.operation, { now, serial });
            } else if ("raw" in next) {
              applyRaw(rowsRaw, next.raw);
              applyRaw(sealedRaw, next.raw);
            } else if ("sealSteps" in next) {
              for (let count = 0; count < next.sealSteps; count++) {
                sealedRaw.transaction(() => sealer.step()).immediate();
              }
            } else {
              sealer.sealAll();
            }
            const query = {
              at: now + days(shape.atDays),
              confidenceMin: shape.confidenceMin,
              chunkEventsMax: shape.chunkEventsMax,
            };
            await expectSameHistory(sealed, rows, query);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("once sealed whole, holds every entry in base segments and nothing else", async () => {
    const path = databasePath();
    const store = openStore(path);
    const sources = await seedLedger(store);
    await store.ingestBatch(
      sources.registry,
      Array.from({ length: 50 }, (_, index) =>
        item({
          id: `e-${index}`,
          subject: ["alice", "bob", "carol"][index % 3] as string,
          type: "traffic.red_light",
          occurredAt: start + days(index),
        }),
      ),
      dayAfterStart(60),
    );
    const raw = connect(path);
    const limits = { ...sealLimitsDefault, recentSegmentEntries: 7, baseSegmentEvents: 9 };
    const sealer = new HistorySealer(raw, limits);
    expect(sealer.sealAll()).toBeGreaterThan(5);
    expect(sealer.state()).toMatchObject({ sealed_through: 50, subjects_end: 4, round_open: 0 });
    const count = (table: string) =>
      raw
        .prepare(`SELECT count(*) AS rows, coalesce(sum(events), 0) AS events FROM ${table}`)
        .get();
    expect(count("history_recent_segments")).toEqual({ rows: 0, events: 0 });
    expect(count("history_base_segments")).toMatchObject({ events: 50 });
    expect(raw.prepare("SELECT count(*) FROM history_changes").pluck().get()).toBe(0);
    // A transition on a sealed entry is logged, read from its row, and folded by the next round.
    await store.applyTransition(3, {
      kind: "reversed",
      actor: "court",
      at: dayAfterStart(61),
      reason: "r",
    });
    expect(raw.prepare("SELECT entry_id FROM history_changes").pluck().all()).toEqual([3]);
    const query = { at: dayAfterStart(61), confidenceMin: 0.9 };
    expect((await readHistory(store, query)).subjects).toEqual(await expectedHistory(store, query));
    sealer.sealAll();
    expect(raw.prepare("SELECT count(*) FROM history_changes").pluck().get()).toBe(0);
    expect((await readHistory(store, query)).subjects).toEqual(await expectedHistory(store, query));
    expect(sealer.sealAll()).toBe(0);
  });

  it("is sealed by the ingest path a step per batch, and readable by a read-only store", async () => {
    const path = databasePath();
    const store = openStore(path);
    const sources = await seedLedger(store);
    // All but the last few entries of a recent segment, written bare: ingesting them would be slow.
    const raw = connect(path);
    const bare = sealLimitsDefault.recentSegmentEntries - 4;
    raw.exec(`
      WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < ${bare})
      INSERT INTO entries (id, source_id, event_key, payload_hash, subject_id, type_id,
        occurred_at, received_at, evidence, confidence, region, attributes, points,
        initial_status, status, effective_at, expires_at, rulebook_version)
      SELECT n, ${sources.registry.id}, 'bare-' || n, 'hash', 1 + n % 3,
        (SELECT id FROM event_types WHERE type = 'civic.blood_donation'), ${start} + n * 1000,
        ${dayAfterStart(1)}, '{}', NULL, NULL, NULL, 30, 'effective', 'effective',
        ${start} + n * 1000, ${start} + n * 1000 + ${days(730)}, 1
      FROM counter`);
    const late = Array.from({ length: 8 }, (_, index) =>
      item({ id: `late-${index}`, subject: "bob", type: "traffic.red_light", occurredAt: start }),
    );
    await store.ingestBatch(sources.registry, late, dayAfterStart(2));
    expect(new HistorySealer(raw).state().sealed_through).toBe(
      sealLimitsDefault.recentSegmentEntries,
    );
    expect(raw.prepare("SELECT count(*) FROM history_recent_segments").pluck().get()).toBe(1);
    const reader = openSqliteStore({ path, readOnly: true });
    closers.push(() => reader.close());
    const query = { at: dayAfterStart(3), confidenceMin: 0.9 };
    let events = 0;
    let livePoints = 0;
    for await (const chunk of reader.history(query)) {
      events += chunk.events.length;
      for (const points of chunk.events.livePoints) livePoints += points;
    }
    expect(events).toBe(bare + late.length);
    expect(livePoints).toBe(30 * bare - 10 * late.length);
    expect(await reader.storedScore("bob")).toMatchObject({ score: 1000 - 10 * late.length });
  });

  it("migrates a version 2 ledger, reads its history from rows, then seals it", async () => {
    const path = databasePath();
    const first = openStore(path);
    const sources = await seedLedger(first);
    await first.ingestBatch(
      sources.registry,
      Array.from({ length: 30 }, (_, index) =>
        item({
          id: `e-${index}`,
          subject: ["alice", "bob"][index % 2] as string,
          type: "civic.volunteering",
          occurredAt: start + days(index),
        }),
      ),
      dayAfterStart(40),
    );
    await first.applyTransition(4, {
      kind: "appealed",
      actor: "bob",
      at: dayAfterStart(41),
      reason: "r",
    });
    await first.close();
    const raw = connect(path);
    const later = raw
      .prepare<[], { type: string; name: string }>(
        "SELECT type, name FROM sqlite_schema WHERE name LIKE 'history_%' ORDER BY type DESC",
      )
      .all();
    for (const { type, name } of later) raw.exec(`DROP ${type} ${name}`);
    raw.pragma("user_version = 2");
    const store = openStore(path);
    expect(raw.pragma("user_version", { simple: true })).toBe(3);
    const query = { at: dayAfterStart(42), confidenceMin: 0.9 };
    const expected = await expectedHistory(store, query);
    expect((await readHistory(store, query)).subjects).toEqual(expected);
    new HistorySealer(raw).sealAll();
    expect((await readHistory(store, query)).subjects).toEqual(expected);
  });

  it("keeps a changed entry in its place among entries of the same time", async () => {
    const path = databasePath();
    const store = openStore(path);
    const sources = await seedLedger(store);
    const at = dayAfterStart(3);
    await store.ingestBatch(
      sources.registry,
      ["traffic.red_light", "civic.volunteering", "public.littering"].map((type, index) =>
        item({ id: `same-${index}`, subject: "alice", type, occurredAt: at }),
      ),
      dayAfterStart(4),
    );
    new HistorySealer(connect(path)).sealAll();
    await store.applyTransition(1, {
      kind: "appealed",
      actor: "alice",
      at: dayAfterStart(5),
      reason: "r",
    });
    const query = { at: dayAfterStart(6), confidenceMin: 0.9 };
    const { subjects } = await readHistory(store, query);
    expect(subjects[0]?.events.map((event) => event.type)).toEqual([
      "traffic.red_light",
      "civic.volunteering",
      "public.littering",
    ]);
    expect(subjects).toEqual(await expectedHistory(store, query));
  });
});
