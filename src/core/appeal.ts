import { days, type Instant } from "./time.js";
import { applyTransition, type EntryState, type TransitionKind } from "./transition.js";

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
