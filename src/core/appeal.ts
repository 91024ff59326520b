import type { StoredStatus } from "./entry.js";
import { days, type Instant } from "./time.js";
import {
  appealableStatuses,
  applyTransition,
  type EntryState,
  type TransitionKind,
} from "./transition.js";

/** Charter item 4: an appeal not decided within this many days is decided for the subject. */
export const appealDaysMax = 30;
export const appealStatementLengthMax = 4_000;

export type AppealOutcome = "upheld" | "reversed";

export type AppealDecision = Readonly<{
  outcome: AppealOutcome;
  decidedBy: string;
  decidedAt: Instant;
  reason: string;
}>;

export type Appeal = Readonly<{
  entryId: number;
  statement: string;
  openedAt: Instant;
  deadlineAt: Instant;
  decision: AppealDecision | undefined;
}>;

/** Who decides an overdue appeal: nobody did in time, so the charter does. */
export const overdueDecider = "system:appeal-deadline";

export type AppealResult =
  | { ok: true; appeal: Appeal; transition: TransitionKind; state: EntryState }
  | { ok: false; reason: string };

/** Why a subject may not appeal one of their entries: a closed list, each with its facts. */
export const appealRefusalReasons = ["appealed_before", "entry_not_appealable"] as const;
export type AppealRefusalReason = (typeof appealRefusalReasons)[number];

export type AppealRefusal =
  | Readonly<{ reason: "appealed_before"; entryId: number }>
  | Readonly<{ reason: "entry_not_appealable"; entryId: number; entryStatus: StoredStatus }>;

/**
 * Whether the subject may appeal their entry, in the order the stores check it: an entry is
 * appealed once, ever, and only from a status that can be disputed. Undefined when they may.
 */
export function appealRefusalOf(
  entry: Readonly<{ id: number; status: StoredStatus; appealedBefore: boolean }>,
): AppealRefusal | undefined {
  if (entry.appealedBefore) return { reason: "appealed_before", entryId: entry.id };
  if (!appealableStatuses.includes(entry.status)) {
    return { reason: "entry_not_appealable", entryId: entry.id, entryStatus: entry.status };
  }
  return undefined;
}

/** The refusal in English, as the stores word it (clients that word it themselves use `reason`). */
export function appealRefusalMessage(refusal: AppealRefusal): string {
  switch (refusal.reason) {
    case "appealed_before":
      return `entry ${refusal.entryId} was appealed before: an entry is appealed once`;
    case "entry_not_appealable":
      return `an entry that is ${refusal.entryStatus} cannot be appealed`;
  }
}

export function openAppeal(args: {
  entryId: number;
  entryState: EntryState;
  statement: string;
  now: Instant;
}): AppealResult {
  const statement = args.statement.trim();
  if (statement.length === 0) return { ok: false, reason: "an appeal needs a statement" };
  if (statement.length > appealStatementLengthMax) {
    return {
      ok: false,
      reason: `a statement may be at most ${appealStatementLengthMax} characters`,
    };
  }
  const next = applyTransition(args.entryState, "appealed");
  if (!next.ok) return next;
  return {
    ok: true,
    appeal: {
      entryId: args.entryId,
      statement,
      openedAt: args.now,
      deadlineAt: args.now + days(appealDaysMax),
      decision: undefined,
    },
    transition: "appealed",
    state: next.state,
  };
}

export function decideAppeal(
  appeal: Appeal,
  entryState: EntryState,
  decision: AppealDecision,
): AppealResult {
  if (appeal.decision) return { ok: false, reason: "this appeal is already decided" };
  if (decision.reason.trim().length === 0)
    return { ok: false, reason: "a decision needs a written reason" };
  // Charter item 9: every change names who made it.
  if (decision.decidedBy.trim().length === 0)
    return { ok: false, reason: "a decision must name who made it" };
  if (decision.decidedAt < appeal.openedAt) {
    return { ok: false, reason: "a decision cannot precede the appeal it decides" };
  }
  if (decision.decidedAt > appeal.deadlineAt) {
    return { ok: false, reason: "the deadline has passed: the appeal is decided for the subject" };
  }
  const next = applyTransition(entryState, decision.outcome);
  if (!next.ok) return next;
  return {
    ok: true,
    appeal: { ...appeal, decision },
    transition: decision.outcome,
    state: next.state,
  };
}

/** The decision the charter makes for an appeal still open at its deadline, if `now` is past it. */
export function overdueDecision(appeal: Appeal, now: Instant): AppealDecision | undefined {
  if (appeal.decision || now < appeal.deadlineAt) return undefined;
  return {
    outcome: "reversed",
    decidedBy: overdueDecider,
    decidedAt: appeal.deadlineAt,
    reason: `not decided within ${appealDaysMax} days: decided for the subject (charter item 4)`,
  };
}
