import type Database from "better-sqlite3";
import { countsAt, type LedgerLine, type StoredStatus } from "../../core/entry.js";
import {
  applyTransition,
  type EntryState,
  foldTransitions,
  type TransitionKind,
} from "../../core/transition.js";
import type { TransitionInput } from "../store.js";

/** Longest actor name and reason a transition may carry. */
export const transitionActorLengthMax = 200;
export const transitionReasonLengthMax = 4_000;

type EntryStateRow = {
  subject_id: number;
  points: number;
  initial_status: "effective" | "pending_review" | "capped";
  status: StoredStatus;
  effective_at: number;
  expires_at: number;
};

export type DecidedTransition = Readonly<{
  entryId: number;
  subjectId: number;
  line: LedgerLine;
  next: EntryState;
}>;

/**
 * The append-only log of entry transitions. `decide` reads and refuses without writing;
 * `record` appends the transition and updates the entry's cached status.
 */
export class TransitionLog {
  private readonly selectEntry;
  private readonly selectKinds;
  private readonly insertTransition;
  private readonly updateStatus;

  constructor(database: Database.Database) {
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

  decide(
    entryId: number,
    transition: TransitionInput,
  ): DecidedTransition | { ok: false; reason: string } {
    const problem = checkInput(transition);
    if (problem) return { ok: false, reason: problem };
    const row = this.selectEntry.get(entryId);
    if (!row) return { ok: false, reason: `no entry ${entryId}` };
    const state = foldTransitions(row.initial_status, this.selectKinds.all(entryId));
    if (state.status !== row.status) {
      throw new Error(
        `entry ${entryId}: stored status ${row.status} is not its log's ${state.status}`,
      );
    }
    const result = applyTransition(state, transition.kind);
    if (!result.ok) return result;
    const line: LedgerLine = {
      points: row.points,
      status: row.status,
      effectiveAt: row.effective_at,
      expiresAt: row.expires_at,
    };
    return { entryId, subjectId: row.subject_id, line, next: result.state };
  }

  record(decided: DecidedTransition, transition: TransitionInput): void {
    const { kind, actor, at, reason } = transition;
    this.insertTransition.run(decided.entryId, kind, actor, at, reason);
    this.updateStatus.run(decided.next.status, decided.entryId);
  }
}

/** How far the entry's counting moves the score at `at`. */
export function transitionScoreDelta(decided: DecidedTransition, at: number): number {
  const before = countsAt(decided.line, at);
  const after = countsAt({ ...decided.line, status: decided.next.status }, at);
  if (before === after) return 0;
  return after ? decided.line.points : -decided.line.points;
}

function checkInput(transition: TransitionInput): string | undefined {
  const actor = transition.actor.trim();
  if (actor.length === 0 || actor.length > transitionActorLengthMax) {
    return `a transition must name its actor in 1 to ${transitionActorLengthMax} characters`;
  }
  if (transition.reason.length > transitionReasonLengthMax) {
    return `a reason may have at most ${transitionReasonLengthMax} characters`;
  }
  if (!Number.isFinite(transition.at)) return "a transition needs a valid time";
  return undefined;
}
