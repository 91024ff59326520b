import {
  type AppealDecision,
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
import type { LedgerWrite } from "./postgres.clock.js";
import { row, rows, type Sql } from "./postgres.connection.js";
import type { SubjectDirectory } from "./postgres.subjects.js";
import type { TransitionLog } from "./postgres.transitions.js";

type Refused = { refused: string };

const selectAppeals = selectAppealsSql("subject_id");

/**
 * Appeals of entries. Each decision is the core's (`src/core/appeal.ts`), and each appeal and
 * decision appends its entry transition through the one `TransitionLog.append`, under the
 * caller's ledger write. While an appeal is open its entry is disputed, and only the appeal's
 * decision settles it (the store refuses other transitions of that entry).
 */
export class AppealDesk {
  constructor(
    private readonly subjects: SubjectDirectory,
    private readonly transitions: TransitionLog,
  ) {}

  async appeal(sql: Sql, appealId: number): Promise<AppealRecord | undefined> {
    const found = await row<AppealRow>(sql, `${selectAppeals} WHERE appeal.id = $1`, [appealId]);
    return found && toAppealRecord(found);
  }

  /** The entry's appeal while it is open (found through the entry: appeals shard by subject). */
  async openAppealOf(sql: Sql, entryId: number): Promise<AppealRecord | undefined> {
    const found = await row<AppealRow>(
      sql,
      `${selectAppeals}
       JOIN entries e ON e.subject_id = appeal.subject_id AND e.id = appeal.entry_id
       WHERE e.id = $1 AND appeal.outcome IS NULL`,
      [entryId],
    );
    return found && toAppealRecord(found);
  }

  /** Newest first. */
  async appealsOf(sql: Sql, subjectId: string): Promise<AppealRecord[]> {
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) return [];
    const found = await rows<AppealRow>(
      sql,
      `${selectAppeals} WHERE appeal.subject_id = $1 ORDER BY appeal.id DESC`,
      [internalId],
    );
    return found.map(toAppealRecord);
  }

  /** Earliest deadline first. */
  async openAppeals(sql: Sql, limit: number): Promise<AppealRecord[]> {
    checkPageLimit(limit);
    return (await this.selectOpen(sql, Number.MAX_SAFE_INTEGER, limit)).map(toAppealRecord);
  }

  async hasOverdue(sql: Sql, now: Instant): Promise<boolean> {
    return (await this.selectOpen(sql, now, 1)).length > 0;
  }

  /** Refusals are checked before anything is written; they run in the caller's ledger write. */
  async open(write: LedgerWrite, input: AppealInput): Promise<AppealRecord | Refused> {
    const { sql } = write;
    if (!Number.isFinite(input.at)) return { refused: "an appeal needs a valid time" };
    if (input.evidenceUrl !== undefined && input.evidenceUrl.length > evidenceUrlLengthMax) {
      return { refused: `an evidence URL may have at most ${evidenceUrlLengthMax} characters` };
    }
    const standing = await this.transitions.standing(sql, input.entryId);
    const internalId = (await this.subjects.resolve(sql, [input.subjectId])).get(input.subjectId);
    // One answer for a missing entry and another person's: entry ids do not leak.
    if (!standing || internalId === undefined || standing.subjectId !== internalId) {
      return { refused: `subject '${input.subjectId}' has no entry ${input.entryId}` };
    }
    const earlier = await row<{ id: number }>(
      sql,
      "SELECT id FROM appeals WHERE subject_id = $1 AND entry_id = $2",
      [internalId, input.entryId],
    );
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
    const appended = await this.transitions.append(write, input.entryId, {
      kind: opened.transition,
      actor: appellantActor(input.subjectId),
      at: input.at,
      reason: appeal.statement,
    });
    if (!appended.ok) return { refused: appended.reason };
    const inserted = await row<{ id: number }>(
      sql,
      `INSERT INTO appeals (subject_id, entry_id, statement, evidence_url, opened_at, deadline_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        internalId,
        input.entryId,
        appeal.statement,
        input.evidenceUrl ?? null,
        appeal.openedAt,
        appeal.deadlineAt,
      ],
    );
    if (!inserted) throw new Error("the appeal was not stored");
    return this.stored(sql, inserted.id);
  }

  /** Refusals are checked before anything is written; they run in the caller's ledger write. */
  async decide(
    write: LedgerWrite,
    appealId: number,
    input: AppealDecisionInput,
  ): Promise<AppealRecord | Refused> {
    const found = await row<AppealRow>(write.sql, `${selectAppeals} WHERE appeal.id = $1`, [
      appealId,
    ]);
    if (!found) return { refused: `no appeal ${appealId}` };
    if (!Number.isFinite(input.at)) return { refused: "a decision needs a valid time" };
    const decision = {
      outcome: input.outcome,
      decidedBy: input.decidedBy,
      decidedAt: input.at,
      reason: input.reason,
    };
    return this.settle(write, found, decision);
  }

  /**
   * Decides for the subject (charter item 4) the open appeals whose deadline is at or before
   * `now`, at most `overdueAppealsPerCallMax` of them, each at its deadline.
   */
  async decideOverdue(write: LedgerWrite, now: Instant): Promise<AppealRecord[]> {
    if (!Number.isFinite(now)) throw new Error(`cannot decide overdue appeals at ${now}`);
    const decided: AppealRecord[] = [];
    for (const found of await this.selectOpen(write.sql, now, overdueAppealsPerCallMax)) {
      const decision = overdueDecision(toAppeal(found), now);
      if (!decision) throw new Error(`appeal ${found.id} was selected as overdue but is not`);
      const settled = await this.settle(write, found, decision);
      // An open appeal's entry is disputed until the appeal is decided: reversing cannot fail.
      if ("refused" in settled) throw new Error(`overdue appeal ${found.id}: ${settled.refused}`);
      decided.push(settled);
    }
    return decided;
  }

  private async settle(
    write: LedgerWrite,
    found: AppealRow,
    decision: AppealDecision,
  ): Promise<AppealRecord | Refused> {
    const { sql } = write;
    const standing = await this.transitions.standing(sql, found.entry_id);
    if (!standing) {
      throw new Error(`appeal ${found.id} names entry ${found.entry_id}, which is missing`);
    }
    const decided = decideAppeal(toAppeal(found), standing.state, decision);
    if (!decided.ok) return { refused: decided.reason };
    const appended = await this.transitions.append(write, found.entry_id, {
      kind: decided.transition,
      actor: decision.decidedBy,
      at: decision.decidedAt,
      reason: decision.reason,
    });
    if (!appended.ok) return { refused: appended.reason };
    const { outcome, decidedBy, decidedAt, reason } = decision;
    await sql.query(
      `UPDATE appeals SET outcome = $1, decided_by = $2, decided_at = $3, reason = $4
       WHERE subject_id = $5 AND id = $6 AND outcome IS NULL`,
      [outcome, decidedBy, decidedAt, reason, standing.subjectId, found.id],
    );
    return this.stored(sql, found.id);
  }

  /** The conditions repeat the partial index's WHERE so that the planner uses it. */
  private selectOpen(sql: Sql, until: Instant, limit: number): Promise<AppealRow[]> {
    return rows<AppealRow>(
      sql,
      `${selectAppeals} WHERE appeal.outcome IS NULL AND appeal.deadline_at <= $1
       ORDER BY appeal.deadline_at, appeal.id LIMIT $2`,
      [until, limit],
    );
  }

  private async stored(sql: Sql, appealId: number): Promise<AppealRecord> {
    const appeal = await this.appeal(sql, appealId);
    if (!appeal) throw new Error(`appeal ${appealId} vanished inside its transaction`);
    return appeal;
  }
}
