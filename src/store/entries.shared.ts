import type { StoredStatus } from "../core/entry.js";
import type { Evidence } from "../core/event.js";
import type { Rulebook } from "../core/rulebook.js";
import type { SourceKind } from "../core/source.js";
import type { TransitionKind } from "../core/transition.js";
import type { EntryRecord, TransitionRecord } from "./store.js";

/**
 * What both adapters' entry readers share: the query of an entry with its subject, source and
 * type, and how its row (the same columns in SQLite and PostgreSQL) becomes an `EntryRecord`.
 */

/**
 * Entries with their subject's external id, source and type. `subjectKey` is the subjects
 * table's key column, the one thing the two schemas name differently.
 */
export function selectEntriesSql(subjectKey: "internal_id" | "subject_id"): string {
  return `
  SELECT e.id, subject.external_id AS subject_external_id, e.subject_id,
    source.name AS source_name, source.kind AS source_kind, e.event_key, event_type.type,
    e.points, e.initial_status, e.status, e.occurred_at, e.received_at, e.effective_at,
    e.expires_at, e.rulebook_version, e.evidence, e.confidence, e.region, e.attributes
  FROM entries e
  JOIN subjects subject ON subject.${subjectKey} = e.subject_id
  JOIN sources source ON source.id = e.source_id
  JOIN event_types event_type ON event_type.id = e.type_id`;
}

/** An entry row as `selectEntriesSql` reads it, its JSON columns parsed. */
export type EntryRow = {
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

export const selectTransitionsSql = `SELECT entry_id, kind, actor, at, reason
  FROM entry_transitions`;

export type TransitionRow = {
  entry_id: number;
  kind: TransitionKind;
  actor: string;
  at: number;
  reason: string;
};

/** The record of an entry row, with its category from the rulebook that priced it. */
export function toEntryRecord(row: EntryRow, rulebook: Rulebook | undefined): EntryRecord {
  const rule = rulebook?.ruleByType.get(row.type);
  if (!rule) {
    throw new Error(`entry ${row.id}: rulebook ${row.rulebook_version} has no rule '${row.type}'`);
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
    evidence: row.evidence,
    confidence: row.confidence ?? undefined,
    region: row.region ?? undefined,
    attributes: row.attributes ?? undefined,
  };
}

export function toTransitionRecord(row: TransitionRow): TransitionRecord {
  return {
    entryId: row.entry_id,
    kind: row.kind,
    actor: row.actor,
    at: row.at,
    reason: row.reason,
  };
}
