import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { BatchItem } from "../../core/batch.js";
import {
  connectToSchema,
  openThrowawayPostgresStore,
  postgresForTests,
  postgresTestUrl,
  testSchemaName,
} from "../../test-support/postgres.js";
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
import type { LedgerStore } from "../store.js";
import { migrations } from "./postgres.migrations.js";
import { openPostgresStore, type PostgresStore } from "./postgres.store.js";

const reachable = await postgresForTests("PostgreSQL store tests");

describe.skipIf(!reachable)("the PostgreSQL ledger", () => {
  /** Closed after each test, in reverse: the store that drops the schema closes last. */
  const opened: PostgresStore[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end();
    for (const store of opened.splice(0).reverse()) await store.close();
  });

  /** A store in a new schema, dropped when the test ends. */
  async function fresh(schema = testSchemaName()): Promise<PostgresStore> {
    const store = await openThrowawayPostgresStore(schema);
    opened.push(store);
    return store;
  }

  /** Another store on the same schema, as another process would open it. */
  async function another(schema: string): Promise<PostgresStore> {
    const store = await openPostgresStore({ url: postgresTestUrl(), schema, connections: 4 });
    opened.push(store);
    return store;
  }

  /** A plain connection to the schema, to look at the catalog or inject faults. */
  async function connect(schema: string): Promise<pg.Client> {
    const client = await connectToSchema(schema);
    clients.push(client);
    return client;
  }

  async function catalog(client: pg.Client) {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
       ORDER BY indexname`,
    );
    return { columns: columns.rows, indexes: indexes.rows };
  }

  it("creates its schema and migrates once, however many stores open it at the same time", async () => {
    const schema = testSchemaName();
    const first = await fresh(schema);
    await Promise.all([another(schema), another(schema), another(schema)]);
    const client = await connect(schema);
    const versions = await client.query("SELECT version FROM schema_migrations ORDER BY version");
    expect(versions.rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    const before = await catalog(client);
    expect(before.indexes.length).toBeGreaterThan(10);
    await another(schema);
    expect(await catalog(client)).toEqual(before);
    expect(await first.currentRulebook()).toBeUndefined();
  });

  it("refuses a schema from a newer program", async () => {
    const schema = testSchemaName();
    await fresh(schema);
    const client = await connect(schema);
    await client.query("INSERT INTO schema_migrations (version, description) VALUES (99, 'x')");
    await expect(another(schema)).rejects.toThrow(/newer/);
  });

  it("finds everything again after a reopen, and goes on from where it stopped", async () => {
    const schema = testSchemaName();
    const first = await fresh(schema);
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
    const second = await another(schema);
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

  it("sees what another store wrote: rulebooks, subjects and sources", async () => {
    const schema = testSchemaName();
    const first = await fresh(schema);
    const second = await another(schema);
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

  it("takes writes from many stores at once in turn: dense entry ids, each event once", async () => {
    const schema = testSchemaName();
    const stores = [await fresh(schema), await another(schema), await another(schema)];
    const sources = await seedLedger(stores[0] as PostgresStore);
    const subjects = ["alice", "bob", "carol"];
    // Each store sends its own reports and, at the same moment, the same shared reports.
    const own = (store: number, batch: number) =>
      Array.from({ length: 20 }, (_, index) =>
        item({
          id: `s${store}-b${batch}-${index}`,
          subject: subjects[index % 3] as string,
          type: "commerce.healthy_purchase",
          occurredAt: dayAfterStart(1) + index,
        }),
      );
    const shared = Array.from({ length: 10 }, (_, index) =>
      item({ id: `shared-${index}`, subject: "bob", type: "public.littering", occurredAt: start }),
    );
    const results = await Promise.all(
      stores.flatMap((store, index) => [
        store.ingestBatch(sources.grocer, own(index, 0), dayAfterStart(2)),
        store.ingestBatch(sources.police, shared, dayAfterStart(2)),
        store.ingestBatch(sources.grocer, own(index, 1), dayAfterStart(2)),
      ]),
    );
    const sharedOutcomes = results.filter((_, index) => index % 3 === 1);
    const accepted = sharedOutcomes.filter((outcomes) => outcomes[0]?.kind === "accepted");
    expect(accepted).toHaveLength(1);
    const sharedIds = accepted[0]?.map((outcome) => ("entryId" in outcome ? outcome.entryId : 0));
    for (const outcomes of sharedOutcomes) {
      expect(outcomes.map((outcome) => ("entryId" in outcome ? outcome.entryId : 0))).toEqual(
        sharedIds,
      );
    }
    const counts = await stores[1]?.counts();
    expect(counts?.entries).toBe(3 * 2 * 20 + 10);
    const entries = (
      await Promise.all(subjects.map((subject) => stores[2]?.entries(subject) ?? []))
    ).flat();
    expect(entries.map((entry) => entry.id).sort((left, right) => left - right)).toEqual(
      Array.from({ length: 130 }, (_, index) => index + 1),
    );
    await expectLedgerConsistent(stores[0] as PostgresStore);
  });

  it("throws on a batch from a source it does not store, the check of a foreign key", async () => {
    const store = await fresh();
    const sources = await seedLedger(store);
    const report = item({
      id: "r-1",
      subject: "alice",
      type: "traffic.red_light",
      occurredAt: start,
    });
    for (const source of [
      { ...sources.police, id: 999 },
      { ...sources.police, name: "impostor" },
    ]) {
      await expect(store.ingestBatch(source, [report], dayAfterStart(1))).rejects.toThrow(
        /no source/,
      );
    }
    expect((await store.counts()).entries).toBe(0);
    expect(await store.ledgerClock()).toBe(start);
  });

  describe("atomicity: a write that fails halfway stores nothing", () => {
    async function seeded() {
      const schema = testSchemaName();
      const store = await fresh(schema);
      const sources = await seedLedger(store);
      await store.ingestBatch(
        sources.police,
        [item({ id: "before", subject: "carol", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(1),
      );
      const items: BatchItem[] = ["alice", "bob", "carol", "alice", "bob"].map((subject, index) =>
        item({
          id: `batch-${index}`,
          subject,
          type: "public.littering",
          occurredAt: dayAfterStart(1),
        }),
      );
      const client = await connect(schema);
      await client.query(`CREATE FUNCTION fail_injected() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
      return { store, items, client, police: sources.police };
    }

    async function state(store: LedgerStore) {
      const subjects = ["alice", "bob", "carol"];
      return {
        counts: await store.counts(),
        clock: await store.ledgerClock(),
        entries: await Promise.all(subjects.map((id) => store.entries(id))),
        scores: await Promise.all(subjects.map((id) => store.storedScore(id))),
        ratings: await Promise.all(subjects.map((id) => store.ratingChanges(id))),
      };
    }

    it("when the third entry of a batch cannot be written", async () => {
      const { store, items, client, police } = await seeded();
      const before = await state(store);
      await client.query(`CREATE TRIGGER fail_third_entry BEFORE INSERT ON entries
        FOR EACH ROW WHEN (NEW.id = 4) EXECUTE FUNCTION fail_injected()`);
      await expect(store.ingestBatch(police, items, dayAfterStart(300))).rejects.toThrow(
        /injected/,
      );
      expect(await state(store)).toEqual(before);

      await client.query("DROP TRIGGER fail_third_entry ON entries");
      const outcomes = await store.ingestBatch(police, items, dayAfterStart(300));
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(5).fill("accepted"));
      expect(await store.entry(4)).toMatchObject({ eventId: "batch-2" });
      await expectLedgerConsistent(store);
    });

    it("when the event keys cannot be written after the entries were", async () => {
      const { store, items, client, police } = await seeded();
      const before = await state(store);
      await client.query(`CREATE TRIGGER fail_event_key BEFORE INSERT ON event_keys
        FOR EACH ROW WHEN (NEW.event_key = 'batch-4') EXECUTE FUNCTION fail_injected()`);
      await expect(store.ingestBatch(police, items, dayAfterStart(2))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
    });

    it("when a score cannot be updated after every entry was written", async () => {
      const { store, items, client, police } = await seeded();
      const before = await state(store);
      const bob = await store.subject("bob");
      await client.query(`CREATE TRIGGER fail_bob_score BEFORE UPDATE ON scores
        FOR EACH ROW WHEN (NEW.subject_id = ${bob?.internalId})
        EXECUTE FUNCTION fail_injected()`);
      await expect(store.ingestBatch(police, items, dayAfterStart(2))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
    });

    it("when a transition's rating change cannot be logged", async () => {
      const { store, client } = await seeded();
      const before = await state(store);
      await client.query(`CREATE TRIGGER fail_rating_change BEFORE INSERT ON rating_changes
        FOR EACH ROW EXECUTE FUNCTION fail_injected()`);
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
      const { store, client } = await seeded();
      const before = await state(store);
      await client.query(`CREATE TRIGGER fail_rating_change BEFORE INSERT ON rating_changes
        FOR EACH ROW EXECUTE FUNCTION fail_injected()`);
      const text = rulebookText([["baseScore: 1000", "baseScore: 1200"]]);
      await expect(publish(store, text, dayAfterStart(3))).rejects.toThrow(/injected/);
      expect(await state(store)).toEqual(before);
      expect((await store.rulebookHistory()).map((summary) => summary.version)).toEqual([1]);
      expect((await store.currentRulebook())?.text).toBe(defaultRulebookText);
    });

    it("when the last subject of an enrollment cannot be stored", async () => {
      const { store, client } = await seeded();
      await client.query(`CREATE TRIGGER fail_zed BEFORE INSERT ON subjects
        FOR EACH ROW WHEN (NEW.external_id = 'zed') EXECUTE FUNCTION fail_injected()`);
      const subjects = [
        { id: "dave", region: "north" },
        { id: "zed", region: "north" },
      ];
      await expect(store.enrollSubjects(subjects, dayAfterStart(2))).rejects.toThrow(/injected/);
      expect(await store.subject("dave")).toBeUndefined();
      expect((await store.counts()).subjects).toBe(3);
      await client.query("DROP TRIGGER fail_zed ON subjects");
      expect(await store.enrollSubjects(subjects, dayAfterStart(2))).toEqual([
        "enrolled",
        "enrolled",
      ]);
      expect((await store.subjectsPage(0, 10)).map((subject) => subject.internalId)).toEqual([
        1, 2, 3, 4, 5,
      ]);
    });
  });
});
