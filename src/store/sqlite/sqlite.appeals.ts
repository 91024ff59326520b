import type Database from "better-sqlite3";
import {
  type AppealDecision,
  type AppealOutcome,
  appealRefusalMessage,
  decideAppeal,
  openAppeal,
  overdueDecision,
} from "../../core/appeal.js";
import type { Instant } from "../../core/time.js";
import type { AppealDecisionInput, AppealInput, AppealRecord } from "../access.store.js";
import {
  type AppealRow,
  appellantActor,
  evidenceUrlLengthMax,
  overdueAppealsPerCallMax,
  selectAppealsSql,
  toAppeal,
  toAppealRecord,
} from "../appeals.shared.js";
import { checkPageLimit } from "../paging.js";
import type { SubjectDirectory } from "./sqlite.subjects.js";
import type { TransitionLog } from "./sqlite.transitions.js";

type Refused = { refused: string };

const selectAppeals = selectAppealsSql("internal_id");

/**
 * Appeals of entries. Each decision is the core's (`src/core/appeal.ts`), and each appeal and
 * decision appends its entry transition through the one `TransitionLog.append`, inside the
 * caller's write transaction. While an appeal is open its entry is disputed, and only the
 * appeal's decision settles it (the store refuses other transitions of that entry).
 */
export class AppealDesk {
  private readonly selectById;
  private readonly selectByEntry;
  private readonly selectBySubject;
  private readonly selectOpen;
  private readonly insert;
  private readonly updateDecision;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
    private readonly transitions: TransitionLog,
  ) {
    this.selectById = database.prepare<[number], AppealRow>(`${selectAppeals} WHERE appeal.id = ?`);
    this.selectByEntry = database.prepare<[number], AppealRow>(
      `${selectAppeals} WHERE appeal.entry_id = ?`,
    );
    this.selectBySubject = database.prepare<[string], AppealRow>(
      `${selectAppeals} WHERE subject.external_id = ? ORDER BY appeal.id DESC`,
    );
    // The conditions repeat the partial index's WHERE so that the planner uses it.
    this.selectOpen = database.prepare<[Instant, number], AppealRow>(
      `${selectAppeals} WHERE appeal.outcome IS NULL AND appeal.deadline_at <= ?
       ORDER BY appeal.deadline_at, appeal.id LIMIT ?`,
    );
    this.insert = database.prepare<[number, number, string, string | null, Instant, Instant]>(
      `INSERT INTO appeals (entry_id, subject_id, statement, evidence_url, opened_at, deadline_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.updateDecision = database.prepare<[AppealOutcome, string, Instant, string, number]>(
      `UPDATE appeals SET outcome = ?, decided_by = ?, decided_at = ?, reason = ?
       WHERE id = ? AND outcome IS NULL`,
    );
  }

  appeal(appealId: number): AppealRecord | undefined {
    const row = this.selectById.get(appealId);
    return row && toAppealRecord(row);
  }

  /** The entry's appeal while it is open. */
  openAppealOf(entryId: number): AppealRecord | undefined {
    const row = this.selectByEntry.get(entryId);
    return row && row.outcome === null ? toAppealRecord(row) : undefined;
  }

  /** Newest first. */
  appealsOf(subjectId: string): AppealRecord[] {
    return this.selectBySubject.all(subjectId).map(toAppealRecord);
  }

  /** Earliest deadline first. */
  openAppeals(limit: number): AppealRecord[] {
    checkPageLimit(limit);
    return this.selectOpen.all(Number.MAX_SAFE_INTEGER, limit).map(toAppealRecord);
  }

  hasOverdue(now: Instant): boolean {
    return this.selectOpen.get(now, 1) !== undefined;
  }

  /** Refusals are checked before anything is written; the caller holds the write transaction. */
  open(input: AppealInput): AppealRecord | Refused {
    if (!Number.isFinite(input.at)) return { refused: "an appeal needs a valid time" };
    if (input.evidenceUrl !== undefined && input.evidenceUrl.length > evidenceUrlLengthMax) {
      return { refused: `an evidence URL may have at most ${evidenceUrlLengthMax} characters` };
    }
    const standing = this.transitions.standing(input.entryId);
    const internalId = this.subjects.resolve([input.subjectId]).get(input.subjectId);
    // One answer for a missing entry and another person's: entry ids do not leak.
    if (!standing || internalId === undefined || standing.subjectId !== internalId) {
      return { refused: `subject '${input.subjectId}' has no entry ${input.entryId}` };
    }
    const earlier = this.selectByEntry.get(input.entryId);
    if (earlier) {
      return {
        refused: appealRefusalMessage({ reason: "appealed_before", entryId: input.entryId }),
      };
    }
    const opened = openAppeal({
      entryId: input.entryId,
      entryState: standing.state,
      statement: input.statement,
      now: input.at,
    });
    if (!opened.ok) return { refused: opened.reason };
    const { appeal } = opened;
    const appended = this.transitions.append(input.entryId, {
      kind: opened.transition,
      actor: appellantActor(input.subjectId),
      at: input.at,
      reason: appeal.statement,
    });
    if (!appended.ok) return { refused: appended.reason };
    const evidenceUrl = input.evidenceUrl ?? null;
    const { lastInsertRowid } = this.insert.run(
      input.entryId,
      internalId,
      appeal.statement,
      evidenceUrl,
      appeal.openedAt,
      appeal.deadlineAt,
    );
    return this.stored(Number(lastInsertRowid));
  }

  /** Refusals are checked before anything is written; the caller holds the write transaction. */
  decide(appealId: number, input: AppealDecisionInput): AppealRecord | Refused {
    const row = this.selectById.get(appealId);
    if (!row) return { refused: `no appeal ${appealId}` };
    if (!Number.isFinite(input.at)) return { refused: "a decision needs a valid time" };
    const decision = {
      outcome: input.outcome,
      decidedBy: input.decidedBy,
      decidedAt: input.at,
      reason: input.reason,
    };
    return this.settle(row, decision);
  }

  /**
   * Decides for the subject (charter item 4) the open appeals whose deadline is at or before
   * `now`, at most `overdueAppealsPerCallMax` of them, each at its deadline.
   */
  decideOverdue(now: Instant): AppealRecord[] {
    if (!Number.isFinite(now)) throw new Error(`cannot decide overdue appeals at ${now}`);
    return this.selectOpen.all(now, overdueAppealsPerCallMax).map((row) => {
      const decision = overdueDecision(toAppeal(row), now);
      if (!decision) throw new Error(`appeal ${row.id} was selected as overdue but is not`);
      const decided = this.settle(row, decision);
      // An open appeal's entry is disputed until the appeal is decided: reversing cannot fail.
      if ("refused" in decided) throw new Error(`overdue appeal ${row.id}: ${decided.refused}`);
      return decided;
    });
  }

  private settle(row: AppealRow, decision: AppealDecision): AppealRecord | Refused {
    const standing = this.transitions.standing(row.entry_id);
    if (!standing)
      throw new Error(`appeal ${row.id} names entry ${row.entry_id}, which is missing`);
    const decided = decideAppeal(toAppeal(row), standing.state, decision);
    if (!decided.ok) return { refused: decided.reason };
    const appended = this.transitions.append(row.entry_id, {
      kind: decided.transition,
      actor: decision.decidedBy,
      at: decision.decidedAt,
      reason: decision.reason,
    });
    if (!appended.ok) return { refused: appended.reason };
    const { outcome, decidedBy, decidedAt, reason } = decision;
    this.updateDecision.run(outcome, decidedBy, decidedAt, reason, row.id);
    return this.stored(row.id);
  }

  private stored(appealId: number): AppealRecord {
    const appeal = this.appeal(appealId);
    if (!appeal) throw new Error(`appeal ${appealId} vanished inside its transaction`);
    return appeal;
  }
}
