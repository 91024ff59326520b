import pg from "pg";
import type { AcceptedEntry, BatchItem, BatchPlan, StoredEvent } from "../../core/batch.js";
import { planBatch } from "../../core/batch.js";
import type { Award } from "../../core/cap.js";
import { holdsCapRoom, type StoredStatus } from "../../core/entry.js";
import type { Outcome } from "../../core/outcome.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
import type { PublishedRulebook } from "../store.js";
import type { LedgerWrite } from "./postgres.clock.js";
import { arrayParameter, rows, type Sql } from "./postgres.connection.js";
import type { ScoreBook } from "./postgres.scores.js";
import type { SubjectDirectory } from "./postgres.subjects.js";

type BatchFields = Readonly<{ sourceId: number; receivedAt: Instant; version: number }>;

type AwardRange = { subjectId: number; typeId: number; from: Instant; to: Instant };

export type BatchContext = Readonly<{ receivedAt: Instant; published: PublishedRulebook }>;

/**
 * The ingestion hot path, a fixed number of statements per batch whatever its size: reads what
 * `planBatch` needs with set-based queries (the subjects, and the awards of capped types in the
 * windows the batch can reach), then appends the plan's entries and event keys with one
 * statement and moves every touched subject's score once.
 *
 * Most batches hold only new events, so the stored events are not read first: the plan assumes
 * none, and the primary key of `event_keys`, which the write probes anyway, checks it. A batch
 * that does meet a stored event (a redelivery, a file sent again) rolls its write back to a
 * savepoint and is planned again after reading them; so is every batch after it, until one
 * reads none.
 */
export class BatchWriter {
  private readonly typeIds = new Map<string, number>();
  private expectNewEvents = true;

  constructor(
    private readonly subjects: SubjectDirectory,
    private readonly scores: ScoreBook,
  ) {}

  /** Prices and writes one batch in the caller's ledger write; `receivedAt` is the clock. */
  async ingest(
    write: LedgerWrite,
    source: SourceProfile,
    items: readonly BatchItem[],
    context: BatchContext,
  ): Promise<Outcome[]> {
    const { sql } = write;
    const { receivedAt, published } = context;
    const { rulebook } = published;
    await this.requireSource(sql, source);
    await this.loadTypeIds(sql, items, rulebook);
    const subjectIds = await this.subjects.resolve(
      sql,
      items.map((item) => item.event.subject),
    );
    const storedAwards = await this.loadAwards(sql, items, subjectIds, rulebook);
    const plan = (storedEvents: ReadonlyMap<string, StoredEvent>) =>
      planBatch(items, {
        source,
        rulebook,
        rulebookVersion: published.version,
        receivedAt,
        firstEntryId: write.lastEntryId + 1,
        storedEvents,
        subjectIds,
        storedAwards: (subjectId, type) => {
          const awards = storedAwards.get(awardKey(subjectId, type));
          if (!awards)
            throw new Error(`awards of subject ${subjectId} and '${type}' were not read`);
          return awards;
        },
      });
    const batch = { sourceId: source.id, receivedAt, version: published.version };
    let planned = this.expectNewEvents ? plan(new Map()) : undefined;
    if (planned && !(await this.writeIfAllNew(write, items, planned, batch))) planned = undefined;
    if (!planned) {
      const storedEvents = await this.storedEvents(
        sql,
        source.id,
        items.map((item) => item.event.id),
      );
      this.expectNewEvents = storedEvents.size === 0;
      planned = plan(storedEvents);
      await this.write(write, planned.accepted, batch);
    }
    await this.scores.move(sql, planned.scoreDeltas, {
      at: receivedAt,
      cause: "ingest",
      thresholds: rulebook.ratingThresholds,
    });
    return planned.outcomes;
  }

  /**
   * Writes a plan made as if none of the batch's events were stored, when that holds: the
   * events it refused are looked up (usually none), and those it accepted are checked by the
   * key of `event_keys` as they are written. Otherwise writes nothing and answers false.
   */
  private async writeIfAllNew(
    write: LedgerWrite,
    items: readonly BatchItem[],
    plan: BatchPlan,
    batch: BatchFields,
  ): Promise<boolean> {
    const { sql } = write;
    const unaccepted = items
      .filter((_, index) => plan.outcomes[index]?.kind !== "accepted")
      .map((item) => item.event.id);
    if (
      unaccepted.length > 0 &&
      (await this.storedEvents(sql, batch.sourceId, unaccepted)).size > 0
    ) {
      this.expectNewEvents = false;
      return false;
    }
    await sql.query("SAVEPOINT all_new_events");
    try {
      await this.write(write, plan.accepted, batch);
      return true;
    } catch (error) {
      if (!isStoredEventKey(error)) throw error;
      await sql.query("ROLLBACK TO SAVEPOINT all_new_events");
      this.expectNewEvents = false;
      return false;
    }
  }

  /** What a foreign key would check row by row (see the migration), once per batch. */
  private async requireSource(sql: Sql, source: SourceProfile): Promise<void> {
    const found = await rows(sql, "SELECT 1 FROM sources WHERE id = $1 AND name = $2", [
      source.id,
      source.name,
    ]);
    if (found.length === 0) throw new Error(`no source ${source.id} named '${source.name}'`);
  }

  private async storedEvents(
    sql: Sql,
    sourceId: number,
    eventIds: readonly string[],
  ): Promise<Map<string, StoredEvent>> {
    const keys = [...new Set(eventIds)];
    const found = await rows<{ event_key: string; payload_hash: string; entry_id: number }>(
      sql,
      `SELECT event_key, payload_hash, entry_id FROM event_keys
       WHERE event_key = ANY($1::text[]) AND source_id = $2`,
      [arrayParameter(keys), sourceId],
    );
    return new Map(
      found.map((event) => [
        event.event_key,
        { payloadHash: event.payload_hash, entryId: event.entry_id },
      ]),
    );
  }

  /**
   * `planBatch` asks for a subject's stored awards of a capped type without saying when; the
   * batch's own events of that subject and type bound the times that can matter. All of them
   * are read in one query, before planning (which does not wait for the database).
   */
  private async loadAwards(
    sql: Sql,
    items: readonly BatchItem[],
    subjectIds: ReadonlyMap<string, number>,
    rulebook: Rulebook,
  ): Promise<Map<string, Award[]>> {
    const ranges = new Map<string, AwardRange>();
    for (const { event } of items) {
      const cap = rulebook.ruleByType.get(event.type)?.cap;
      const subjectId = subjectIds.get(event.subject);
      if (!cap || subjectId === undefined) continue;
      const key = awardKey(subjectId, event.type);
      const from = event.occurredAt - cap.windowMilliseconds;
      const to = event.occurredAt + cap.windowMilliseconds;
      const range = ranges.get(key);
      if (range) {
        range.from = Math.min(range.from, from);
        range.to = Math.max(range.to, to);
      } else {
        ranges.set(key, { subjectId, typeId: this.typeId(event.type), from, to });
      }
    }
    const awards = new Map<string, Award[]>();
    const typeNames = new Map<number, string>();
    for (const [key, range] of ranges) {
      awards.set(key, []);
      typeNames.set(range.typeId, key.slice(key.indexOf("\u0000") + 1));
    }
    if (ranges.size === 0) return awards;
    const list = [...ranges.values()];
    const found = await rows<{
      subject_id: number;
      type_id: number;
      occurred_at: number;
      points: number;
      status: StoredStatus;
    }>(
      sql,
      // One index probe per range (entries_by_subject_type_time): OFFSET 0 keeps the planner
      // from turning the lateral subquery into a join that scans every entry of the ledger.
      `SELECT range.subject_id, range.type_id, e.occurred_at, e.points, e.status
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
         AS range (subject_id, type_id, from_at, to_at)
       CROSS JOIN LATERAL (
         SELECT occurred_at, points, status FROM entries
         WHERE subject_id = range.subject_id AND type_id = range.type_id
           AND occurred_at > range.from_at AND occurred_at < range.to_at
         OFFSET 0
       ) AS e`,
      [
        arrayParameter(list.map((range) => range.subjectId)),
        arrayParameter(list.map((range) => range.typeId)),
        arrayParameter(list.map((range) => range.from)),
        arrayParameter(list.map((range) => range.to)),
      ],
    );
    for (const award of found) {
      if (award.points === 0 || !holdsCapRoom(award.status)) continue;
      const type = typeNames.get(award.type_id) as string;
      awards.get(awardKey(award.subject_id, type))?.push({
        occurredAt: award.occurred_at,
        points: award.points,
      });
    }
    return awards;
  }

  /**
   * The entries and their event keys in one statement: one JSON parameter holds every row
   * (serialised natively, parsed once by the server), and the rows go in by subject, so that
   * the inserts into the subject-keyed indexes touch each page once.
   */
  private async write(
    write: LedgerWrite,
    accepted: readonly AcceptedEntry[],
    batch: BatchFields,
  ): Promise<void> {
    if (accepted.length === 0) return;
    const { sql } = write;
    const rows = accepted
      .map((entry) => ({
        subject_id: entry.subjectId,
        id: entry.entryId,
        event_key: entry.event.id,
        payload_hash: entry.payloadHash,
        type_id: this.typeId(entry.rule.type),
        occurred_at: entry.event.occurredAt,
        evidence: entry.event.evidence,
        confidence: entry.event.confidence ?? null,
        region: entry.event.region ?? null,
        attributes: entry.event.attributes ?? null,
        points: entry.priced.points,
        status: entry.priced.status,
        effective_at: entry.priced.effectiveAt,
        expires_at: entry.priced.expiresAt,
      }))
      .sort((first, second) => first.subject_id - second.subject_id || first.id - second.id);
    const lastEntryId = (accepted.at(-1) as AcceptedEntry).entryId;
    await sql.query(
      `WITH accepted AS MATERIALIZED (
         SELECT * FROM json_to_recordset($4::json) AS accepted (subject_id bigint, id bigint,
           event_key text, payload_hash text, type_id bigint, occurred_at bigint, evidence json,
           confidence float8, region text, attributes json, points integer, status text,
           effective_at bigint, expires_at bigint)
       ), keys AS (
         INSERT INTO event_keys (event_key, source_id, payload_hash, subject_id, entry_id)
         SELECT event_key, $1, payload_hash, subject_id, id FROM accepted
       ), state AS (
         UPDATE ledger_state SET last_entry_id = $5
       )
       INSERT INTO entries (subject_id, id, source_id, event_key, type_id, occurred_at,
         received_at, evidence, confidence, region, attributes, points, initial_status,
         status, effective_at, expires_at, rulebook_version)
       SELECT subject_id, id, $1, event_key, type_id, occurred_at, $2, evidence, confidence,
         region, attributes, points, status, status, effective_at, expires_at, $3
       FROM accepted`,
      [batch.sourceId, batch.receivedAt, batch.version, JSON.stringify(rows), lastEntryId],
    );
    write.lastEntryId = lastEntryId;
  }

  /**
   * Reads the type ids when a type the rulebook prices is not known yet. Types are added when a
   * rulebook is published and never change id; a type no rule prices never becomes an entry.
   */
  private async loadTypeIds(
    sql: Sql,
    items: readonly BatchItem[],
    rulebook: Rulebook,
  ): Promise<void> {
    const unknown = items.some(
      ({ event }) => !this.typeIds.has(event.type) && rulebook.ruleByType.has(event.type),
    );
    if (!unknown) return;
    for (const known of await rows<{ id: number; type: string }>(
      sql,
      "SELECT id, type FROM event_types",
    )) {
      this.typeIds.set(known.type, known.id);
    }
  }

  private typeId(type: string): number {
    const id = this.typeIds.get(type);
    if (id === undefined) throw new Error(`event type '${type}' was never published`);
    return id;
  }
}

/**
 * The error of writing an event key that is already stored: a unique violation in the one
 * statement under the savepoint. Only the SQL state is checked: a distributed database may not
 * pass the table's name back from the shard that refused the row. Any other unique violation
 * there (an entry id, which would be a bug) happens again when the batch is written after
 * reading its stored keys, without a savepoint, and fails the batch.
 */
function isStoredEventKey(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === "23505";
}

function awardKey(subjectId: number, type: string): string {
  return `${subjectId}\u0000${type}`;
}
