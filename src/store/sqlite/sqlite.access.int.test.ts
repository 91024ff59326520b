import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  dayAfterStart,
  defaultRulebookText,
  expectLedgerConsistent,
  item,
  notRefused,
  publish,
  seedLedger,
  start,
} from "../contract/support.js";
import { migrate, migrations, schemaVersion } from "./sqlite.migrations.js";
import { openSqliteStore, type SqliteStore, sqliteDatabasePath } from "./sqlite.store.js";

const folders: string[] = [];

function temporaryDatabasePath(): string {
  const folder = mkdtempSync(join(tmpdir(), "civic-sqlite-access-"));
  folders.push(folder);
  return sqliteDatabasePath(join(folder, "data"));
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("the SQLite access store", () => {
  const opened: SqliteStore[] = [];
  const raw: Database.Database[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const database of raw.splice(0)) database.close();
  });

  function open(path: string): SqliteStore {
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

  it("migrates a version 1 ledger to version 2, keeping its data", async () => {
    const path = temporaryDatabasePath();
    const first = open(path);
    await seedLedger(first);
    await first.close();
    const database = connect(path);
    // Later migrations' objects go too (triggers first), as a version 1 file has none of them.
    const later = database
      .prepare<[], { type: string; name: string }>(
        "SELECT type, name FROM sqlite_schema WHERE name LIKE 'history_%' ORDER BY type DESC",
      )
      .all();
    for (const { type, name } of later) database.exec(`DROP ${type} ${name}`);
    database.exec(
      `DROP INDEX entries_pending_review; DROP TABLE audit_log; DROP TABLE appeals;
       DROP TABLE inquiries; DROP TABLE consents; DROP TABLE partners; DROP TABLE accounts;
       DROP TABLE credentials; PRAGMA user_version = 1;`,
    );
    expect(migrate(database, migrations.slice(0, 1))).toBe(1);
    const second = open(path);
    expect(schemaVersion(database)).toBe(migrations.length);
    expect(await second.counts()).toEqual({ subjects: 3, sources: 4, entries: 0 });
    expect(await second.partners()).toEqual([]);
    await expectLedgerConsistent(second);
  });

  describe("keys, partners and the current rulebook, read on every request", () => {
    const key = {
      keyId: "key-of-bank-1",
      secretHash: "hash",
      role: "partner",
      principal: "bank-1",
      createdAt: start,
      createdBy: "admin-1",
    } as const;

    it("are read again at once after another process changed them", async () => {
      const path = temporaryDatabasePath();
      const server = open(path);
      await seedLedger(server);
      await server.createCredential(key);
      expect((await server.credential(key.keyId))?.revokedAt).toBeUndefined();
      expect(await server.partner("bank-1")).toBeUndefined();
      const version = (await server.currentRulebook())?.version ?? 0;

      const command = open(path);
      expect(await command.revokeCredential(key.keyId, dayAfterStart(1))).toBe(true);
      notRefused(
        await command.addPartner({ name: "bank-1", kind: "bank", purposes: ["credit"] }, start),
      );
      await publish(command, defaultRulebookText, dayAfterStart(2));

      expect((await server.credential(key.keyId))?.revokedAt).toBe(dayAfterStart(1));
      expect((await server.partner("bank-1"))?.purposes).toEqual(["credit"]);
      expect((await server.currentRulebook())?.version).toBe(version + 1);
    });

    it("are read again at once after this process changed them", async () => {
      const store = open(temporaryDatabasePath());
      await seedLedger(store);
      await store.createCredential(key);
      expect((await store.credential(key.keyId))?.revokedAt).toBeUndefined();
      await store.revokeCredential(key.keyId, dayAfterStart(1));
      expect((await store.credential(key.keyId))?.revokedAt).toBe(dayAfterStart(1));
    });
  });

  describe("atomicity: an appeal or decision that fails halfway stores nothing", () => {
    /** Carol's -10 red light (entry 1) on day 1, and Alice's (entry 2). */
    async function seeded(): Promise<{ path: string; store: SqliteStore }> {
      const path = temporaryDatabasePath();
      const store = open(path);
      const sources = await seedLedger(store);
      await store.ingestBatch(
        sources.police,
        [
          item({ id: "r-1", subject: "carol", type: "traffic.red_light", occurredAt: start }),
          item({ id: "r-2", subject: "alice", type: "traffic.red_light", occurredAt: start }),
        ],
        dayAfterStart(1),
      );
      return { path, store };
    }

    async function state(store: SqliteStore) {
      return {
        clock: await store.ledgerClock(),
        entries: await Promise.all([1, 2].map((id) => store.entry(id))),
        transitions: await Promise.all([1, 2].map((id) => store.transitions(id))),
        scores: await Promise.all(["carol", "alice"].map((id) => store.storedScore(id))),
        ratings: await Promise.all(["carol", "alice"].map((id) => store.ratingChanges(id))),
        appeals: await Promise.all(["carol", "alice"].map((id) => store.appealsOf(id))),
      };
    }

    function appeal(entryId: number, subjectId: string, day: number) {
      return {
        entryId,
        subjectId,
        statement: "not me",
        evidenceUrl: undefined,
        at: dayAfterStart(day),
      };
    }

    function failOn(path: string, trigger: string): void {
      connect(path).exec(`CREATE TRIGGER injected ${trigger}
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    }

    it("when the appeal cannot be stored after its transition moved the score", async () => {
      const { path, store } = await seeded();
      const before = await state(store);
      failOn(path, "BEFORE INSERT ON appeals");
      await expect(store.openAppeal(appeal(1, "carol", 3))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect(await store.openAppeals(10)).toEqual([]);
    });

    it("when the appeal's rating change cannot be logged", async () => {
      const { path, store } = await seeded();
      const before = await state(store);
      failOn(path, "BEFORE INSERT ON rating_changes");
      await expect(store.openAppeal(appeal(1, "carol", 3))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
    });

    it("when the decision cannot be recorded after its transition moved the score", async () => {
      const { path, store } = await seeded();
      const opened = notRefused(await store.openAppeal(appeal(1, "carol", 3)));
      const before = await state(store);
      failOn(path, "BEFORE UPDATE ON appeals");
      const decision = {
        outcome: "upheld",
        decidedBy: "reviewer-1",
        reason: "seen on the video",
        at: dayAfterStart(4),
      } as const;
      await expect(store.decideAppeal(opened.id, decision)).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect(await store.entry(1)).toMatchObject({ status: "disputed" });
    });

    it("when the second of two overdue appeals cannot be decided", async () => {
      const { path, store } = await seeded();
      notRefused(await store.openAppeal(appeal(1, "carol", 3)));
      const second = notRefused(await store.openAppeal(appeal(2, "alice", 4)));
      const before = await state(store);
      failOn(path, `BEFORE UPDATE ON appeals WHEN NEW.id = ${second.id}`);
      await expect(store.decideOverdueAppeals(dayAfterStart(100))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect(await store.openAppeals(10)).toHaveLength(2);

      connect(path).exec("DROP TRIGGER injected");
      expect(await store.decideOverdueAppeals(dayAfterStart(100))).toHaveLength(2);
      await expectLedgerConsistent(store);
    });
  });
});
