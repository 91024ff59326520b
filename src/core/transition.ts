import type { StoredStatus } from "./entry.js";

/**
 * Changes of an entry after it was recorded. The entry row is never rewritten: each change is an
 * appended record naming who made it (charter item 9), and the status is the fold of them.
 */
export const transitionKinds = ["confirmed", "rejected", "appealed", "upheld", "reversed"] as const;
export type TransitionKind = (typeof transitionKinds)[number];

export type EntryState = Readonly<{
  status: StoredStatus;
  /** While disputed: the status an upheld appeal returns the entry to. */
  statusBeforeDispute: StoredStatus | undefined;
}>;

/** The statuses an entry can be appealed from (charter item 4); the others are final or disputed. */
export const appealableStatuses: readonly StoredStatus[] = [
  "effective",
  "capped",
  "pending_review",
];

export type TransitionResult = { ok: true; state: EntryState } | { ok: false; reason: string };

export function initialState(status: "effective" | "pending_review" | "capped"): EntryState {
  return { status, statusBeforeDispute: undefined };
}

export function applyTransition(state: EntryState, kind: TransitionKind): TransitionResult {
  const { status } = state;
  switch (kind) {
    case "confirmed":
    case "rejected":
      if (status !== "pending_review") {
        return refuse(`only an entry pending review can be ${kind}; this one is ${status}`);
      }
      return settle(kind === "confirmed" ? "effective" : "rejected");
    case "appealed":
      if (!appealableStatuses.includes(status)) {
        return refuse(`an entry that is ${status} cannot be appealed`);
      }
      return { ok: true, state: { status: "disputed", statusBeforeDispute: status } };
    case "upheld":
      if (status !== "disputed" || state.statusBeforeDispute === undefined) {
        return refuse(`only a disputed entry can be upheld; this one is ${status}`);
      }
      return settle(state.statusBeforeDispute);
    case "reversed":
      if (status === "reversed" || status === "rejected") {
        return refuse(`an entry that is ${status} cannot be reversed`);
      }
      return settle("reversed");
  }
}

/** The status after a sequence of transitions; an impossible sequence is a programmer error. */
export function foldTransitions(
  initial: "effective" | "pending_review" | "capped",
  kinds: readonly TransitionKind[],
): EntryState {
  let state = initialState(initial);
  for (const kind of kinds) {
    const result = applyTransition(state, kind);
    if (!result.ok) throw new Error(`corrupt transition log: ${result.reason}`);
    state = result.state;
  }
  return state;
}

function settle(status: StoredStatus): TransitionResult {
  return { ok: true, state: { status, statusBeforeDispute: undefined } };
}

function refuse(reason: string): TransitionResult {
  return { ok: false, reason };
}
