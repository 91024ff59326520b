import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { BatchItem } from "../../core/batch.js";
import {
  dayAfterStart,
  defaultRulebookText,
  expectLedgerConsistent,
  item,
  publish,
  rulebookText,
  seedLedger,
  start,
} from "../contract/support.js";
import { describeLedgerStoreContract } from "../store.contract.js";
import type { LedgerStore } from "../store.js";
import { openDatabase } from "./sqlite.connection.js";
import { migrate, migrations, schemaVersion } from "./sqlite.migrations.js";
import { openSqliteStore, sqliteDatabasePath } from "./sqlite.store.js";

const folders: string[] = [];

function temporaryDatabasePath(): string {
  const folder = mkdtempSync(join(tmpdir(), "civic-sqlite-"));
  folders.push(folder);
  return sqliteDatabasePath(join(folder, "data"));
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describeLedgerStoreContract("sqlite file", async () =>
  openSqliteStore({ path: temporaryDatabasePath(), cacheMegabytes: 8 }),
);
describeLedgerStoreContract("sqlite :memory:", async () => openSqliteStore({ path: ":memory:" }));

describe("the SQLite ledger", () => {
  const opened: LedgerStore[] = [];
  const raw: Database.Database[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const database of raw.splice(0)) database.close();
  });

  function open(path: string): LedgerStore {
    const store = openSqliteStore({ path });
    opened.push(store);
    return store;
  }

  /** A second connection to the same file, as another process would have. */
  function connect(path: string): Database.Database {
    const database = new Database(path);
    database.pragma("busy_timeout = 5000");
    raw.push(database);
    return database;
  }

  it("keeps its file in the data folder, creating the folder", () => {
    const path = temporaryDatabasePath();
    expect(path.endsWith(join("data", "civic.sqlite"))).toBe(true);
    open(path);
    expect(existsSync(path)).toBe(true);
  });

  it("sets WAL, synchronous=NORMAL, foreign keys, a busy timeout and the page cache", () => {
    const database = openDatabase({ path: temporaryDatabasePath(), cacheMegabytes: 32 });
    raw.push(database);
    expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.pragma("synchronous", { simple: true })).toBe(1);
    expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(database.pragma("busy_timeout", { simple: true })).toBe(5_000);
    expect(database.pragma("cache_size", { simple: true })).toBe(-32 * 1024);
    expect(() => openDatabase({ path: ":memory:", cacheMegabytes: 0 })).toThrow();
  });

  it("migrates once: reopening and re-migrating change nothing", async () => {
    const path = temporaryDatabasePath();
    await open(path).close();
    const database = connect(path);
    const schema = () =>
      database.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name").all();
    const before = schema();
    expect(schemaVersion(database)).toBe(migrations.length);
    await open(path).close();
    expect(migrate(database)).toBe(migrations.length);
    expect(schema()).toEqual(before);
    expect(schemaVersion(database)).toBe(migrations.length);
  });

  it("refuses a database from a newer program", () => {
    const path = temporaryDatabasePath();
    open(path);
    connect(path).pragma(`user_version = ${migrations.length + 1}`);
    expect(() => openSqliteStore({ path })).toThrow(/newer/);
  });

  it("finds everything again after a reopen, and goes on from where it stopped", async () => {
    const path = temporaryDatabasePath();
    const first = open(path);
    const sources = await seedLedger(first);
    await first.ingestBatch(
      sources.police,
      [item({ id: "r-1", subject: "alice", type: "traffic.red_light", occurredAt: start })],
      dayAfterStart(1),
    );
    await first.applyTransition(1, {
      kind: "appealed",
      actor: "alice",
      at: dayAfterStart(2),
      reason: "not me",
    });
    const snapshot = async (store: LedgerStore) => ({
      rulebook: await store.currentRulebook(),
      history: await store.rulebookHistory(),
      sources: await store.sources(),
      entries: await store.entries("alice"),
      transitions: await store.transitions(1),
      score: await store.storedScore("alice"),
      ratingChanges: await store.ratingChanges("alice"),
      clock: await store.ledgerClock(),
      counts: await store.counts(),
    });
    const before = await snapshot(first);
    await first.close();

    const second = open(path);
    expect(await snapshot(second)).toEqual(before);
    const outcomes = await second.ingestBatch(
      sources.police,
      [
        item({ id: "r-1", subject: "alice", type: "traffic.red_light", occurredAt: start }),
        item({ id: "r-2", subject: "bob", type: "traffic.red_light", occurredAt: start }),
      ],
      dayAfterStart(3),
    );
    expect(outcomes).toMatchObject([
      { kind: "duplicate", entryId: 1 },
      { kind: "accepted", entryId: 2 },
    ]);
    await expectLedgerConsistent(second);
  });

  it("sees what another connection wrote: rulebooks, subjects and sources", async () => {
    const path = temporaryDatabasePath();
    const first = open(path);
    const second = open(path);
    const sources = await seedLedger(first);
    await second.enrollSubjects([{ id: "dave", region: "south" }], dayAfterStart(1));
    await publish(second, rulebookText([["baseScore: 1000", "baseScore: 1100"]]), dayAfterStart(2));
    const outcomes = await first.ingestBatch(
      sources.police,
      [
        item({
          id: "r-1",
          subject: "dave",
          type: "traffic.red_light",
          occurredAt: dayAfterStart(2),
        }),
      ],
      dayAfterStart(3),
    );
    expect(outcomes).toMatchObject([{ kind: "accepted", points: -10 }]);
    expect(await first.entry(1)).toMatchObject({ rulebookVersion: 2 });
    expect(await first.storedScore("dave")).toMatchObject({ score: 1090 });
    await expectLedgerConsistent(first);
  });

  describe("atomicity: a write that fails halfway stores nothing", () => {
    async function seeded(): Promise<{ path: string; store: LedgerStore; items: BatchItem[] }> {
      const path = temporaryDatabasePath();
      const store = open(path);
      const sources = await seedLedger(store);
      await store.ingestBatch(
        sources.police,
        [item({ id: "before", subject: "carol", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(1),
      );
      const items = ["alice", "bob", "carol", "alice", "bob"].map((subject, index) =>
        item({
          id: `batch-${index}`,
          subject,
          type: "public.littering",
          occurredAt: dayAfterStart(1),
        }),
      );
      return { path, store, items };
    }

    async function state(store: LedgerStore) {
      return {
        counts: await store.counts(),
        clock: await store.ledgerClock(),
        entries: await Promise.all(["alice", "bob", "carol"].map((id) => store.entries(id))),
        scores: await Promise.all(["alice", "bob", "carol"].map((id) => store.storedScore(id))),
        ratings: await Promise.all(["alice", "bob", "carol"].map((id) => store.ratingChanges(id))),
      };
    }

    it("when the third entry of a batch cannot be written", async () => {
      const { path, store, items } = await seeded();
      const before = await state(store);
      const database = connect(path);
      database.exec(`CREATE TRIGGER fail_third_entry BEFORE INSERT ON entries WHEN NEW.id = 4
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      const police = await store.source("police");
      if (!police) throw new Error("no police source");

      await expect(store.ingestBatch(police, items, dayAfterStart(300))).rejects.toThrow(
        /injected/,
      );
      expect(await state(store)).toEqual(before);

      database.exec("DROP TRIGGER fail_third_entry");
      const outcomes = await store.ingestBatch(police, items, dayAfterStart(300));
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(5).fill("accepted"));
      expect(await store.entry(4)).toMatchObject({ eventId: "batch-2" });
      await expectLedgerConsistent(store);
    });

    it("when a score cannot be updated after every entry was written", async () => {
      const { path, store, items } = await seeded();
      const before = await state(store);
      const bob = await store.subject("bob");
      connect(path).exec(`CREATE TRIGGER fail_bob_score BEFORE UPDATE ON scores
        WHEN NEW.subject_id = ${bob?.internalId} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      const police = await store.source("police");
      if (!police) throw new Error("no police source");
      await expect(store.ingestBatch(police, items, dayAfterStart(2))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
    });

    it("when a transition's rating change cannot be logged", async () => {
      const { path, store } = await seeded();
      const before = await state(store);
      connect(path).exec(`CREATE TRIGGER fail_rating_change BEFORE INSERT ON rating_changes
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      await expect(
        store.applyTransition(1, {
          kind: "appealed",
          actor: "carol",
          at: dayAfterStart(3),
          reason: "no",
        }),
      ).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect(await store.transitions(1)).toEqual([]);
      expect(await store.entry(1)).toMatchObject({ status: "effective" });
    });

    it("when a publication's re-rating cannot be logged", async () => {
      const { path, store } = await seeded();
      const before = await state(store);
      connect(path).exec(`CREATE TRIGGER fail_rating_change BEFORE INSERT ON rating_changes
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      const text = rulebookText([["baseScore: 1000", "baseScore: 1200"]]);
      await expect(publish(store, text, dayAfterStart(3))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect((await store.rulebookHistory()).map((summary) => summary.version)).toEqual([1]);
      expect((await store.currentRulebook())?.text).toBe(defaultRulebookText);
    });

    it("when the last subject of an enrollment cannot be stored", async () => {
      const { path, store } = await seeded();
      connect(
        path,
      ).exec(`CREATE TRIGGER fail_zed BEFORE INSERT ON subjects WHEN NEW.external_id = 'zed'
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      const subjects = [
        { id: "dave", region: "north" },
        { id: "zed", region: "north" },
      ];
      await expect(store.enrollSubjects(subjects, dayAfterStart(2))).rejects.toThrow(/injected/);
      expect(await store.subject("dave")).toBeUndefined();
      expect((await store.counts()).subjects).toBe(3);
    });
  });
});
