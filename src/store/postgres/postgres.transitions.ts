import type { RatingThresholds } from "../../core/rating.js";
import type { Instant } from "../../core/time.js";
import type { TransitionKind } from "../../core/transition.js";
import { checkTransition } from "../checks.js";
import type { TransitionInput, TransitionOutcome } from "../store.js";
import {
  type DecidedTransition,
  decideTransition,
  type EntryStanding,
  type EntryStateRow,
  entryStanding,
  transitionScoreDelta,
} from "../transitions.shared.js";
import type { LedgerWrite } from "./postgres.clock.js";
import { row, type Sql } from "./postgres.connection.js";
import type { ScoreBook } from "./postgres.scores.js";

type EntryStateRowWithKinds = EntryStateRow & { kinds: TransitionKind[] };

/** What appending a transition needs beyond the log: the ledger clock and the scoring policy. */
export type TransitionEffects = Readonly<{
  scores: ScoreBook;
  /** Advances the ledger clock (never back) in the caller's write; returns the clock. */
  advance: (write: LedgerWrite, requested: Instant) => Promise<Instant>;
  thresholds: (write: LedgerWrite) => Promise<RatingThresholds>;
}>;

/**
 * The append-only log of entry transitions, and the one way any transition is written: a review
 * decision, an appeal, an appeal's decision or a reversal all go through `append`.
 */
export class TransitionLog {
  constructor(private readonly effects: TransitionEffects) {}

  /** The entry's subject, line and state folded from its log; undefined for an unknown entry. */
  async standing(sql: Sql, entryId: number): Promise<EntryStanding | undefined> {
    const found = await row<EntryStateRowWithKinds>(
      sql,
      `SELECT e.subject_id, e.points, e.initial_status, e.status, e.effective_at, e.expires_at,
         array(SELECT t.kind FROM entry_transitions t
           WHERE t.subject_id = e.subject_id AND t.entry_id = e.id ORDER BY t.id) AS kinds
       FROM entries e WHERE e.id = $1`,
      [entryId],
    );
    return found && entryStanding(entryId, found, found.kinds);
  }

  /**
   * Appends a transition and moves the subject's score with it, in the caller's ledger write.
   * Decided before the clock moves: a refusal writes nothing, not even the clock.
   */
  async append(
    write: LedgerWrite,
    entryId: number,
    transition: TransitionInput,
  ): Promise<TransitionOutcome> {
    const { sql } = write;
    const decided = await this.decide(sql, entryId, transition);
    if ("ok" in decided) return decided;
    const clock = await this.effects.advance(write, transition.at);
    const { kind, actor, at, reason } = transition;
    await sql.query(
      `INSERT INTO entry_transitions (subject_id, entry_id, kind, actor, at, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [decided.subjectId, entryId, kind, actor, at, reason],
    );
    await sql.query("UPDATE entries SET status = $1 WHERE subject_id = $2 AND id = $3", [
      decided.next.status,
      decided.subjectId,
      entryId,
    ]);
    const delta = transitionScoreDelta(decided, clock);
    if (delta !== 0) {
      await this.effects.scores.move(sql, new Map([[decided.subjectId, delta]]), {
        at: clock,
        cause: "transition",
        thresholds: await this.effects.thresholds(write),
      });
    }
    return { ok: true, status: decided.next.status };
  }

  private async decide(
    sql: Sql,
    entryId: number,
    transition: TransitionInput,
  ): Promise<DecidedTransition | { ok: false; reason: string }> {
    const problem = checkTransition(transition);
    if (problem) return { ok: false, reason: problem };
    return decideTransition(entryId, await this.standing(sql, entryId), transition);
  }
}
