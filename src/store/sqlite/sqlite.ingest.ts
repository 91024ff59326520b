import type Database from "better-sqlite3";
import type { AcceptedEntry, BatchItem, StoredEvent } from "../../core/batch.js";
import { planBatch } from "../../core/batch.js";
import type { Award } from "../../core/cap.js";
import { holdsCapRoom, type StoredStatus } from "../../core/entry.js";
import type { Outcome } from "../../core/outcome.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
import type { PublishedRulebook } from "../store.js";
import { HistorySealer } from "./sqlite.history.seal.js";
import type { ScoreBook } from "./sqlite.scores.js";
import type { SubjectDirectory } from "./sqlite.subjects.js";

type EntryInsert = [
  id: number,
  sourceId: number,
  eventKey: string,
  payloadHash: string,
  subjectId: number,
  typeId: number,
  occurredAt: number,
  receivedAt: number,
  evidence: string,
  confidence: number | null,
  region: string | null,
  attributes: string | null,
  points: number,
  initialStatus: string,
  status: string,
  effectiveAt: number,
  expiresAt: number,
  rulebookVersion: number,
];

type AwardRange = { from: Instant; to: Instant };

/**
 * The ingestion hot path: reads what `planBatch` needs with a few set-based queries, then
 * appends the plan's entries and moves each touched subject's score once.
 */
export class BatchWriter {
  private readonly typeIds = new Map<string, number>();
  private readonly selectStored;
  private readonly selectMaxId;
  private readonly selectAwards;
  private readonly selectTypeId;
  private readonly insertEntry;
  /** Keeps the policy lab's columnar copy of the history sealed, a bounded step per batch. */
  private readonly sealer: HistorySealer;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
    private readonly scores: ScoreBook,
  ) {
    this.selectStored = database.prepare<
      [number, string],
      { event_key: string; payload_hash: string; id: number }
    >(
      `SELECT event_key, payload_hash, id FROM entries
       WHERE source_id = ? AND event_key IN (SELECT value FROM json_each(?))`,
    );
    this.selectMaxId = database
      .prepare<[], number>("SELECT coalesce(max(id), 0) FROM entries")
      .pluck();
    this.selectAwards = database.prepare<
      [number, number, Instant, Instant],
      { occurred_at: number; points: number; status: StoredStatus }
    >(
      `SELECT occurred_at, points, status FROM entries
       WHERE subject_id = ? AND type_id = ? AND occurred_at > ? AND occurred_at < ?`,
    );
    this.selectTypeId = database
      .prepare<[string], number>("SELECT id FROM event_types WHERE type = ?")
      .pluck();
    this.insertEntry = database.prepare<EntryInsert>(
      `INSERT INTO entries (id, source_id, event_key, payload_hash, subject_id, type_id,
         occurred_at, received_at, evidence, confidence, region, attributes, points,
         initial_status, status, effective_at, expires_at, rulebook_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sealer = new HistorySealer(database);
  }

  /** Prices and writes one batch inside the caller's write transaction; `receivedAt` is the clock. */
  ingest(
    source: SourceProfile,
    items: readonly BatchItem[],
    receivedAt: Instant,
    published: PublishedRulebook,
  ): Outcome[] {
    const { rulebook } = published;
    const subjectIds = this.subjects.resolve(items.map((item) => item.event.subject));
    const plan = planBatch(items, {
      source,
      rulebook,
      rulebookVersion: published.version,
      receivedAt,
      firstEntryId: (this.selectMaxId.get() ?? 0) + 1,
      storedEvents: this.storedEvents(source.id, items),
      subjectIds,
      storedAwards: this.awardsLoader(items, subjectIds, rulebook),
    });
    this.write(plan.accepted, { sourceId: source.id, receivedAt, version: published.version });
    this.scores.move(plan.scoreDeltas, receivedAt, "ingest", rulebook.ratingThresholds);
    this.sealer.step();
    return plan.outcomes;
  }

  private storedEvents(sourceId: number, items: readonly BatchItem[]): Map<string, StoredEvent> {
    const keys = new Set<string>();
    for (const item of items) keys.add(item.event.id);
    const stored = new Map<string, StoredEvent>();
    for (const row of this.selectStored.all(sourceId, JSON.stringify([...keys]))) {
      stored.set(row.event_key, { payloadHash: row.payload_hash, entryId: row.id });
    }
    return stored;
  }

  /**
   * `planBatch` asks for a subject's stored awards of a capped type without saying when; the
   * batch's own events of that subject and type bound the times that can matter.
   */
  private awardsLoader(
    items: readonly BatchItem[],
    subjectIds: ReadonlyMap<string, number>,
    rulebook: Rulebook,
  ): (subjectId: number, type: string) => readonly Award[] {
    const ranges = new Map<string, AwardRange>();
    for (const { event } of items) {
      const cap = rulebook.ruleByType.get(event.type)?.cap;
      const subjectId = subjectIds.get(event.subject);
      if (!cap || subjectId === undefined) continue;
      const key = awardKey(subjectId, event.type);
      const from = event.occurredAt - cap.windowMilliseconds;
      const to = event.occurredAt + cap.windowMilliseconds;
      const range = ranges.get(key);
      if (!range) ranges.set(key, { from, to });
      else ranges.set(key, { from: Math.min(range.from, from), to: Math.max(range.to, to) });
    }
    const loaded = new Map<string, Award[]>();
    return (subjectId, type) => {
      const key = awardKey(subjectId, type);
      const cached = loaded.get(key);
      if (cached) return cached;
      const range = ranges.get(key) ?? { from: -Number.MAX_VALUE, to: Number.MAX_VALUE };
      const awards: Award[] = [];
      for (const row of this.selectAwards.all(subjectId, this.typeId(type), range.from, range.to)) {
        if (row.points !== 0 && holdsCapRoom(row.status)) {
          awards.push({ occurredAt: row.occurred_at, points: row.points });
        }
      }
      loaded.set(key, awards);
      return awards;
    };
  }

  private write(
    accepted: readonly AcceptedEntry[],
    batch: Readonly<{ sourceId: number; receivedAt: Instant; version: number }>,
  ): void {
    for (const { entryId, subjectId, rule, event, payloadHash, priced } of accepted) {
      this.insertEntry.run(
        entryId,
        batch.sourceId,
        event.id,
        payloadHash,
        subjectId,
        this.typeId(rule.type),
        event.occurredAt,
        batch.receivedAt,
        JSON.stringify(event.evidence),
        event.confidence ?? null,
        event.region ?? null,
        event.attributes === undefined ? null : JSON.stringify(event.attributes),
        priced.points,
        priced.status,
        priced.status,
        priced.effectiveAt,
        priced.expiresAt,
        batch.version,
      );
    }
  }

  /** Types are added when a rulebook is published and never change id. */
  private typeId(type: string): number {
    const cached = this.typeIds.get(type);
    if (cached !== undefined) return cached;
    const id = this.selectTypeId.get(type);
    if (id === undefined) throw new Error(`event type '${type}' was never published`);
    this.typeIds.set(type, id);
    return id;
  }
}

function awardKey(subjectId: number, type: string): string {
  return `${subjectId}\u0000${type}`;
}
