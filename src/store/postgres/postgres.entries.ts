import type { StoredStatus } from "../../core/entry.js";
import type { Evidence } from "../../core/event.js";
import type { SourceKind } from "../../core/source.js";
import type { TransitionKind } from "../../core/transition.js";
import { checkPageLimit } from "../paging.js";
import type { EntryRecord, TransitionRecord } from "../store.js";
import { rows, type Sql } from "./postgres.connection.js";
import type { RulebookShelf } from "./postgres.rulebooks.js";

type EntryRow = {
  id: number;
  subject_external_id: string;
  subject_id: number;
  source_name: string;
  source_kind: SourceKind;
  event_key: string;
  type: string;
  points: number;
  initial_status: EntryRecord["initialStatus"];
  status: StoredStatus;
  occurred_at: number;
  received_at: number;
  effective_at: number;
  expires_at: number;
  rulebook_version: number;
  evidence: Evidence;
  confidence: number | null;
  region: string | null;
  attributes: EntryRecord["attributes"] | null;
};

type TransitionRow = {
  entry_id: number;
  kind: TransitionKind;
  actor: string;
  at: number;
  reason: string;
};

/** Entries with their subject, source and type; the JSON columns arrive parsed. */
export const selectEntries = `
  SELECT e.id, subject.external_id AS subject_external_id, e.subject_id,
    source.name AS source_name, source.kind AS source_kind, e.event_key, event_type.type,
    e.points, e.initial_status, e.status, e.occurred_at, e.received_at, e.effective_at,
    e.expires_at, e.rulebook_version, e.evidence, e.confidence, e.region, e.attributes
  FROM entries e
  JOIN subjects subject ON subject.subject_id = e.subject_id
  JOIN sources source ON source.id = e.source_id
  JOIN event_types event_type ON event_type.id = e.type_id`;

/** Reads of the ledger's entries and their transitions, as the interface's records. */
export class EntryReader {
  constructor(private readonly rulebooks: RulebookShelf) {}

  /** A subject's entries by internal id, oldest first. */
  async entries(sql: Sql, subjectId: number): Promise<EntryRecord[]> {
    return this.records(sql, `${selectEntries} WHERE e.subject_id = $1 ORDER BY e.id`, [subjectId]);
  }

  async entry(sql: Sql, entryId: number): Promise<EntryRecord | undefined> {
    const found = await this.records(sql, `${selectEntries} WHERE e.id = $1`, [entryId]);
    if (found.length > 1) throw new Error(`entry id ${entryId} is stored ${found.length} times`);
    return found[0];
  }

  /** Every requested subject gets a list, empty when it has no entries. */
  async entriesOfSubjects(
    sql: Sql,
    internalIds: readonly number[],
  ): Promise<Map<number, EntryRecord[]>> {
    const bySubject = new Map<number, EntryRecord[]>(internalIds.map((id) => [id, []]));
    if (internalIds.length === 0) return bySubject;
    const found = await this.records(
      sql,
      `${selectEntries} WHERE e.subject_id = ANY($1::bigint[]) ORDER BY e.subject_id, e.id`,
      [internalIds],
    );
    for (const record of found) bySubject.get(record.subjectInternalId)?.push(record);
    return bySubject;
  }

  /** Entries waiting for a human reviewer, oldest first. */
  async pendingReviews(sql: Sql, limit: number): Promise<EntryRecord[]> {
    checkPageLimit(limit);
    // The condition repeats the partial index's WHERE so that the planner uses it.
    return this.records(
      sql,
      `${selectEntries} WHERE e.status = 'pending_review' ORDER BY e.id LIMIT $1`,
      [limit],
    );
  }

  async transitions(sql: Sql, entryId: number): Promise<TransitionRecord[]> {
    const found = await rows<TransitionRow>(
      sql,
      `SELECT entry_id, kind, actor, at, reason FROM entry_transitions
       WHERE entry_id = $1 ORDER BY id`,
      [entryId],
    );
    return found.map((transition) => ({
      entryId: transition.entry_id,
      kind: transition.kind,
      actor: transition.actor,
      at: transition.at,
      reason: transition.reason,
    }));
  }

  private async records(sql: Sql, text: string, values: unknown[]): Promise<EntryRecord[]> {
    const found = await rows<EntryRow>(sql, text, values);
    const rulebooks = await this.rulebooks.versions(
      sql,
      found.map((entry) => entry.rulebook_version),
    );
    return found.map((entry) => {
      const rule = rulebooks.get(entry.rulebook_version)?.rulebook.ruleByType.get(entry.type);
      if (!rule) {
        throw new Error(
          `entry ${entry.id}: rulebook ${entry.rulebook_version} has no rule '${entry.type}'`,
        );
      }
      return {
        id: entry.id,
        subjectId: entry.subject_external_id,
        subjectInternalId: entry.subject_id,
        source: entry.source_name,
        sourceKind: entry.source_kind,
        eventId: entry.event_key,
        type: entry.type,
        category: rule.category,
        points: entry.points,
        initialStatus: entry.initial_status,
        status: entry.status,
        occurredAt: entry.occurred_at,
        recordedAt: entry.received_at,
        effectiveAt: entry.effective_at,
        expiresAt: entry.expires_at,
        rulebookVersion: entry.rulebook_version,
        evidence: entry.evidence,
        confidence: entry.confidence ?? undefined,
        region: entry.region ?? undefined,
        attributes: entry.attributes ?? undefined,
      };
    });
  }
}
