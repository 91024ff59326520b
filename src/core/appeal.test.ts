import { describe, expect, it } from "vitest";
import { dayAt } from "../test-support/core.js";
import {
  type Appeal,
  type AppealDecision,
  appealDaysMax,
  appealRefusalMessage,
  appealRefusalOf,
  appealStatementLengthMax,
  decideAppeal,
  openAppeal,
  overdueDecider,
  overdueDecision,
} from "./appeal.js";
import { countsAt, storedStatuses } from "./entry.js";
import { days } from "./time.js";
import { applyTransition, type EntryState, initialState } from "./transition.js";

const openedAt = dayAt(10);

function opened(entryState: EntryState = initialState("effective")) {
  const result = openAppeal({
    entryId: 7,
    entryState,
    statement: "  It was not me.  ",
    now: openedAt,
  });
  if (!result.ok) throw new Error(result.reason);
  return result;
}

function decision(fields: Partial<AppealDecision> = {}): AppealDecision {
  return {
    outcome: "upheld",
    decidedBy: "reviewer:ana",
    decidedAt: openedAt + days(3),
    reason: "The photo shows the subject's car and plate.",
    ...fields,
  };
}

describe("openAppeal", () => {
  it("disputes the entry, so it stops counting, with a deadline 30 days later", () => {
    const { appeal, state, transition } = opened();
    expect(transition).toBe("appealed");
    expect(state).toEqual({ status: "disputed", statusBeforeDispute: "effective" });
    expect(appeal).toEqual({
      entryId: 7,
      statement: "It was not me.",
      openedAt,
      deadlineAt: openedAt + 30 * 86_400_000,
      decision: undefined,
    });
    expect(appealDaysMax).toBe(30);
    const line = { points: -10, effectiveAt: dayAt(0), expiresAt: dayAt(365) };
    expect(countsAt({ ...line, status: "effective" }, openedAt)).toBe(true);
    expect(countsAt({ ...line, status: state.status }, openedAt)).toBe(false);
  });

  it.each(["", "   ", "\n\t"])("refuses the empty statement %j", (statement) => {
    expect(
      openAppeal({ entryId: 7, entryState: initialState("effective"), statement, now: openedAt }),
    ).toEqual({ ok: false, reason: "an appeal needs a statement" });
  });

  it("refuses a statement over the length limit, and accepts one at it", () => {
    const open = (statement: string) =>
      openAppeal({ entryId: 7, entryState: initialState("effective"), statement, now: openedAt });
    expect(open("x".repeat(appealStatementLengthMax)).ok).toBe(true);
    expect(open("x".repeat(appealStatementLengthMax + 1)).ok).toBe(false);
  });

  it("refuses to open a second appeal on a disputed entry, or one on a reversed entry", () => {
    const { state } = opened();
    expect(
      openAppeal({ entryId: 7, entryState: state, statement: "again", now: openedAt }).ok,
    ).toBe(false);
    expect(
      openAppeal({
        entryId: 7,
        entryState: { status: "reversed", statusBeforeDispute: undefined },
        statement: "again",
        now: openedAt,
      }).ok,
    ).toBe(false);
  });
});

describe("decideAppeal", () => {
  it.each(["effective", "pending_review", "capped"] as const)(
    "upholding restores the entry to %s",
    (status) => {
      const { appeal, state } = opened(initialState(status));
      const result = decideAppeal(appeal, state, decision());
      expect(result).toMatchObject({
        ok: true,
        transition: "upheld",
        state: { status, statusBeforeDispute: undefined },
        appeal: { decision: decision() },
      });
    },
  );

  it("reversing voids the entry for good", () => {
    const { appeal, state } = opened();
    const result = decideAppeal(appeal, state, decision({ outcome: "reversed" }));
    expect(result).toMatchObject({
      ok: true,
      transition: "reversed",
      state: { status: "reversed" },
    });
  });

  it("accepts a decision at the deadline and refuses one after it", () => {
    const { appeal, state } = opened();
    expect(decideAppeal(appeal, state, decision({ decidedAt: appeal.deadlineAt })).ok).toBe(true);
    expect(decideAppeal(appeal, state, decision({ decidedAt: appeal.deadlineAt + 1 }))).toEqual({
      ok: false,
      reason: "the deadline has passed: the appeal is decided for the subject",
    });
  });

  it("refuses a decision dated before the appeal was opened", () => {
    const { appeal, state } = opened();
    expect(decideAppeal(appeal, state, decision({ decidedAt: openedAt - 1 })).ok).toBe(false);
  });

  it.each(["", "  "])("refuses the empty reason %j", (reason) => {
    const { appeal, state } = opened();
    expect(decideAppeal(appeal, state, decision({ reason }))).toEqual({
      ok: false,
      reason: "a decision needs a written reason",
    });
  });

  it.each(["", " "])("refuses a decision that names nobody (%j): charter item 9", (decidedBy) => {
    const { appeal, state } = opened();
    expect(decideAppeal(appeal, state, decision({ decidedBy })).ok).toBe(false);
  });

  it("refuses to decide an appeal twice", () => {
    const { appeal, state } = opened();
    const first = decideAppeal(appeal, state, decision());
    if (!first.ok) throw new Error(first.reason);
    expect(decideAppeal(first.appeal, first.state, decision({ outcome: "reversed" }))).toEqual({
      ok: false,
      reason: "this appeal is already decided",
    });
  });

  it("refuses a decision the entry's state does not allow", () => {
    const { appeal } = opened();
    expect(decideAppeal(appeal, initialState("effective"), decision()).ok).toBe(false);
  });
});

describe("overdueDecision", () => {
  const appeal: Appeal = opened().appeal;

  it("decides nothing before the deadline", () => {
    expect(overdueDecision(appeal, appeal.deadlineAt - 1)).toBeUndefined();
  });

  it.each([0, 1, days(400)])(
    "decides for the subject, dated at the deadline, %i ms after it",
    (late) => {
      const decided = overdueDecision(appeal, appeal.deadlineAt + late);
      expect(decided).toEqual({
        outcome: "reversed",
        decidedBy: overdueDecider,
        decidedAt: appeal.deadlineAt,
        reason: expect.stringContaining("30 days"),
      });
    },
  );

  it("produces a decision that decideAppeal accepts", () => {
    const { appeal: open, state } = opened();
    const decided = overdueDecision(open, open.deadlineAt + days(2));
    if (!decided) throw new Error("not overdue");
    expect(decideAppeal(open, state, decided)).toMatchObject({
      ok: true,
      state: { status: "reversed" },
    });
  });

  it("leaves a decided appeal alone", () => {
    expect(
      overdueDecision({ ...appeal, decision: decision() }, appeal.deadlineAt + days(1)),
    ).toBeUndefined();
  });
});

describe("appealRefusalOf", () => {
  it("refuses exactly the statuses the transition refuses, with the same words", () => {
    for (const status of storedStatuses) {
      const refusal = appealRefusalOf({ id: 7, status, appealedBefore: false });
      const transition = applyTransition({ status, statusBeforeDispute: "effective" }, "appealed");
      if (transition.ok) expect(refusal).toBeUndefined();
      else {
        expect(refusal).toEqual({
          reason: "entry_not_appealable",
          entryId: 7,
          entryStatus: status,
        });
        expect(refusal && appealRefusalMessage(refusal)).toBe(transition.reason);
      }
    }
  });

  it("refuses an entry appealed before, whatever its status now", () => {
    for (const status of storedStatuses) {
      expect(appealRefusalOf({ id: 7, status, appealedBefore: true })).toEqual({
        reason: "appealed_before",
        entryId: 7,
      });
    }
  });
});
