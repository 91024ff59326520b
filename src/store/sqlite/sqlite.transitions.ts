import type Database from "better-sqlite3";
import type { StoredStatus } from "../../core/entry.js";
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
import type { ScoreBook } from "./sqlite.scores.js";

/** What appending a transition needs beyond the log: the ledger clock and the scoring policy. */
export type TransitionEffects = Readonly<{
  scores: ScoreBook;
  /** Advances the ledger clock (never back) inside the caller's transaction; returns the clock. */
  advance: (requested: Instant) => Instant;
  thresholds: () => RatingThresholds;
}>;

/**
 * The append-only log of entry transitions, and the one way any transition is written: a review
 * decision, an appeal, an appeal's decision or a reversal all go through `append`.
 */
export class TransitionLog {
  private readonly selectEntry;
  private readonly selectKinds;
  private readonly insertTransition;
  private readonly updateStatus;

  constructor(
    database: Database.Database,
    private readonly effects: TransitionEffects,
  ) {
    this.selectEntry = database.prepare<[number], EntryStateRow>(
      `SELECT subject_id, points, initial_status, status, effective_at, expires_at
       FROM entries WHERE id = ?`,
    );
    this.selectKinds = database
      .prepare<[number], TransitionKind>(
        "SELECT kind FROM entry_transitions WHERE entry_id = ? ORDER BY id",
      )
      .pluck();
    this.insertTransition = database.prepare<[number, TransitionKind, string, number, string]>(
      "INSERT INTO entry_transitions (entry_id, kind, actor, at, reason) VALUES (?, ?, ?, ?, ?)",
    );
    this.updateStatus = database.prepare<[StoredStatus, number]>(
      "UPDATE entries SET status = ? WHERE id = ?",
    );
  }

  /** The entry's subject, line and state folded from its log; undefined for an unknown entry. */
  standing(entryId: number): EntryStanding | undefined {
    const row = this.selectEntry.get(entryId);
    return row && entryStanding(entryId, row, this.selectKinds.all(entryId));
  }

  /**
   * Appends a transition and moves the subject's score with it, inside the caller's write
   * transaction. Decided before the clock moves: a refusal writes nothing, not even the clock.
   */
  append(entryId: number, transition: TransitionInput): TransitionOutcome {
    const decided = this.decide(entryId, transition);
    if ("ok" in decided) return decided;
    const clock = this.effects.advance(transition.at);
    const { kind, actor, at, reason } = transition;
    this.insertTransition.run(entryId, kind, actor, at, reason);
    this.updateStatus.run(decided.next.status, entryId);
    const delta = transitionScoreDelta(decided, clock);
    if (delta !== 0) {
      const deltas = new Map([[decided.subjectId, delta]]);
      this.effects.scores.move(deltas, clock, "transition", this.effects.thresholds());
    }
    return { ok: true, status: decided.next.status };
  }

  private decide(
    entryId: number,
    transition: TransitionInput,
  ): DecidedTransition | { ok: false; reason: string } {
    const problem = checkTransition(transition);
    if (problem) return { ok: false, reason: problem };
    return decideTransition(entryId, this.standing(entryId), transition);
  }
}
