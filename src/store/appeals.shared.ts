import type { Appeal, AppealOutcome } from "../core/appeal.js";
import type { AppealRecord } from "./access.store.js";

/**
 * What both adapters' appeal desks share: the limits they enforce, who appends an appeal's
 * transition, and how a stored appeal row (the same columns in SQLite and PostgreSQL) becomes
 * the core's `Appeal` and the store's `AppealRecord`.
 */

/** Overdue appeals decided per call, earliest deadline first; the next call takes the rest. */
export const overdueAppealsPerCallMax = 1_000;
export const evidenceUrlLengthMax = 2_000;

/** Who appends the `appealed` transition: the subject, named so as not to pass for an operator. */
export function appellantActor(subjectId: string): string {
  return `subject:${subjectId}`;
}

/**
 * Appeals with their subject's external id (as `subject_id`). `subjectKey` is the subjects
 * table's key column, the one thing the two schemas name differently.
 */
export function selectAppealsSql(subjectKey: "internal_id" | "subject_id"): string {
  return `
  SELECT appeal.id, appeal.entry_id, subject.external_id AS subject_id, appeal.statement,
    appeal.evidence_url, appeal.opened_at, appeal.deadline_at, appeal.outcome, appeal.decided_by,
    appeal.decided_at, appeal.reason
  FROM appeals appeal
  JOIN subjects subject ON subject.${subjectKey} = appeal.subject_id`;
}

/** An appeal as both adapters select it (`subject_id` is the subject's external id). */
export type AppealRow = {
  id: number;
  entry_id: number;
  subject_id: string;
  statement: string;
  evidence_url: string | null;
  opened_at: number;
  deadline_at: number;
  outcome: AppealOutcome | null;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
};

export function toAppeal(row: AppealRow): Appeal {
  const decision =
    row.outcome === null
      ? undefined
      : {
          outcome: row.outcome,
          decidedBy: row.decided_by ?? "",
          decidedAt: row.decided_at ?? row.opened_at,
          reason: row.reason ?? "",
        };
  return {
    entryId: row.entry_id,
    statement: row.statement,
    openedAt: row.opened_at,
    deadlineAt: row.deadline_at,
    decision,
  };
}

export function toAppealRecord(row: AppealRow): AppealRecord {
  return {
    id: row.id,
    entryId: row.entry_id,
    subjectId: row.subject_id,
    statement: row.statement,
    evidenceUrl: row.evidence_url ?? undefined,
    openedAt: row.opened_at,
    deadlineAt: row.deadline_at,
    outcome: row.outcome ?? undefined,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: row.decided_at ?? undefined,
    reason: row.reason ?? undefined,
  };
}
