import type Database from "better-sqlite3";
import type { StoredStatus } from "../../core/entry.js";
import type { Evidence } from "../../core/event.js";
import type { SourceKind } from "../../core/source.js";
import type { TransitionKind } from "../../core/transition.js";
import { checkPageLimit } from "../paging.js";
import type { EntryRecord, TransitionRecord } from "../store.js";
import type { RulebookShelf } from "./sqlite.rulebooks.js";

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
  evidence: string;
  confidence: number | null;
  region: string | null;
  attributes: string | null;
};

type TransitionRow = {
  entry_id: number;
  kind: TransitionKind;
  actor: string;
  at: number;
  reason: string;
};

const selectEntries = `
  SELECT e.id, subject.external_id AS subject_external_id, e.subject_id,
    source.name AS source_name, source.kind AS source_kind, e.event_key, event_type.type,
    e.points, e.initial_status, e.status, e.occurred_at, e.received_at, e.effective_at,
    e.expires_at, e.rulebook_version, e.evidence, e.confidence, e.region, e.attributes
  FROM entries e
  JOIN subjects subject ON subject.internal_id = e.subject_id
  JOIN sources source ON source.id = e.source_id
  JOIN event_types event_type ON event_type.id = e.type_id`;

/** Reads of the ledger's entries and their transitions, as the interface's records. */
export class EntryReader {
  private readonly selectBySubject;
  private readonly selectById;
  private readonly selectBySubjects;
  private readonly selectPendingReview;
  private readonly selectTransitions;
  private readonly countAll;

  constructor(
    database: Database.Database,
    private readonly rulebooks: RulebookShelf,
  ) {
    this.selectBySubject = database.prepare<[string], EntryRow>(
      `${selectEntries} WHERE subject.external_id = ? ORDER BY e.id`,
    );
    this.selectById = database.prepare<[number], EntryRow>(`${selectEntries} WHERE e.id = ?`);
    this.selectBySubjects = database.prepare<[string], EntryRow>(
      `${selectEntries} WHERE e.subject_id IN (SELECT value FROM json_each(?))
       ORDER BY e.subject_id, e.id`,
    );
    // The condition repeats the partial index's WHERE so that the planner uses it.
    this.selectPendingReview = database.prepare<[number], EntryRow>(
      `${selectEntries} WHERE e.status = 'pending_review' ORDER BY e.id LIMIT ?`,
    );
    this.selectTransitions = database.prepare<[number], TransitionRow>(
      "SELECT entry_id, kind, actor, at, reason FROM entry_transitions WHERE entry_id = ? ORDER BY id",
    );
    this.countAll = database.prepare<[], number>("SELECT count(*) FROM entries").pluck();
  }

  entries(subjectId: string): EntryRecord[] {
    return this.selectBySubject.all(subjectId).map((row) => this.toRecord(row));
  }

  entry(entryId: number): EntryRecord | undefined {
    const row = this.selectById.get(entryId);
    return row && this.toRecord(row);
  }

  /** Every requested subject gets a list, empty when it has no entries. */
  entriesOfSubjects(internalIds: readonly number[]): Map<number, EntryRecord[]> {
    const bySubject = new Map<number, EntryRecord[]>(internalIds.map((id) => [id, []]));
    for (const row of this.selectBySubjects.all(JSON.stringify(internalIds))) {
      bySubject.get(row.subject_id)?.push(this.toRecord(row));
    }
    return bySubject;
  }

  /** Entries waiting for a human reviewer, oldest first. */
  pendingReviews(limit: number): EntryRecord[] {
    checkPageLimit(limit);
    return this.selectPendingReview.all(limit).map((row) => this.toRecord(row));
  }

  transitions(entryId: number): TransitionRecord[] {
    return this.selectTransitions.all(entryId).map((row) => ({
      entryId: row.entry_id,
      kind: row.kind,
      actor: row.actor,
      at: row.at,
      reason: row.reason,
    }));
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  private toRecord(row: EntryRow): EntryRecord {
    const rule = this.rulebooks.version(row.rulebook_version)?.rulebook.ruleByType.get(row.type);
    if (!rule) {
      throw new Error(
        `entry ${row.id}: rulebook ${row.rulebook_version} has no rule '${row.type}'`,
      );
    }
    return {
      id: row.id,
      subjectId: row.subject_external_id,
      subjectInternalId: row.subject_id,
      source: row.source_name,
      sourceKind: row.source_kind,
      eventId: row.event_key,
      type: row.type,
      category: rule.category,
      points: row.points,
      initialStatus: row.initial_status,
      status: row.status,
      occurredAt: row.occurred_at,
      recordedAt: row.received_at,
      effectiveAt: row.effective_at,
      expiresAt: row.expires_at,
      rulebookVersion: row.rulebook_version,
      evidence: JSON.parse(row.evidence) as Evidence,
      confidence: row.confidence ?? undefined,
      region: row.region ?? undefined,
      attributes: row.attributes === null ? undefined : JSON.parse(row.attributes),
    };
  }
}
