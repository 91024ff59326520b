import { countsAt, type LedgerLine, type StoredStatus } from "../core/entry.js";
import {
  applyTransition,
  type EntryState,
  foldTransitions,
  type TransitionKind,
} from "../core/transition.js";
import type { TransitionInput } from "./store.js";

/**
 * What both adapters' transition logs share: how an entry's row and its log of transitions
 * become its standing, whether a transition may be appended to it, and how far that moves the
 * subject's score.
 */

/** The columns of an entry that its transitions read. */
export type EntryStateRow = {
  subject_id: number;
  points: number;
  initial_status: "effective" | "pending_review" | "capped";
  status: StoredStatus;
  effective_at: number;
  expires_at: number;
};

/** An entry as its transitions see it: whose it is, what it scores, and its folded state. */
export type EntryStanding = Readonly<{
  entryId: number;
  subjectId: number;
  line: LedgerLine;
  state: EntryState;
}>;

export type DecidedTransition = EntryStanding & Readonly<{ next: EntryState }>;

/** The entry's standing from its row and its log's kinds, oldest first. */
export function entryStanding(
  entryId: number,
  row: EntryStateRow,
  kinds: readonly TransitionKind[],
): EntryStanding {
  const state = foldTransitions(row.initial_status, kinds);
  if (state.status !== row.status) {
    throw new Error(
      `entry ${entryId}: stored status ${row.status} is not its log's ${state.status}`,
    );
  }
  const line: LedgerLine = {
    points: row.points,
    status: row.status,
    effectiveAt: row.effective_at,
    expiresAt: row.expires_at,
  };
  return { entryId, subjectId: row.subject_id, line, state };
}

/**
 * Whether a well-formed `transition` (see `checkTransition`) may be appended to the entry
 * (undefined: there is none), and the state it leads to; a refusal says why.
 */
export function decideTransition(
  entryId: number,
  standing: EntryStanding | undefined,
  transition: TransitionInput,
): DecidedTransition | { ok: false; reason: string } {
  if (!standing) return { ok: false, reason: `no entry ${entryId}` };
  const result = applyTransition(standing.state, transition.kind);
  if (!result.ok) return result;
  return { ...standing, next: result.state };
}

/** How far the entry's counting moves the score at `at`. */
export function transitionScoreDelta(decided: DecidedTransition, at: number): number {
  const before = countsAt(decided.line, at);
  const after = countsAt({ ...decided.line, status: decided.next.status }, at);
  if (before === after) return 0;
  return after ? decided.line.points : -decided.line.points;
}
