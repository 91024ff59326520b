import { describe, expect, it } from "vitest";
import { dayAt, defaultRulebook } from "../test-support/core.js";
import { benefitStatus } from "./benefit.js";
import type { LedgerLine } from "./entry.js";
import type { Benefit } from "./rulebook.js";
import { ratingHistory } from "./score.js";

function benefit(id: string): Benefit {
  const found = defaultRulebook.benefits.find((candidate) => candidate.id === id);
  if (!found) throw new Error(id);
  return found;
}

function line(points: number, fromDay: number, toDay: number): LedgerLine {
  return { points, status: "effective", effectiveAt: dayAt(fromDay), expiresAt: dayAt(toDay) };
}

/** Rating history from enrollment at day 0 to day 1000. */
function history(lines: readonly LedgerLine[]) {
  return ratingHistory(lines, defaultRulebook, { from: dayAt(0), to: dayAt(1_000) });
}

const loan = benefit("loan_discount");

describe("benefitStatus", () => {
  // +300 from day 0 for two years: 1300, AAA.
  const aaa = history([line(300, 0, 730)]);

  it("is not eligible for 'AAA held 180 days' on day 179, and shows the progress", () => {
    expect(benefitStatus(aaa, loan, dayAt(179) + 86_399_999)).toEqual({
      benefitId: "loan_discount",
      eligible: false,
      heldDays: 179,
      requiredDays: 180,
      heldSince: dayAt(0),
    });
  });

  it("is eligible from day 180", () => {
    expect(benefitStatus(aaa, loan, dayAt(180))).toMatchObject({ eligible: true, heldDays: 180 });
    expect(benefitStatus(aaa, loan, dayAt(700))).toMatchObject({ eligible: true, heldDays: 700 });
  });

  it("ends when the rating drops (here: the entry behind it expires)", () => {
    expect(benefitStatus(aaa, loan, dayAt(730))).toEqual({
      benefitId: "loan_discount",
      eligible: false,
      heldDays: 0,
      requiredDays: 180,
      heldSince: undefined,
    });
  });

  it("restarts the count after a broken streak", () => {
    // A 10-point deduction from day 100 to day 110 drops the subject to AA for ten days.
    const broken = history([line(300, 0, 730), line(-10, 100, 110)]);
    expect(benefitStatus(broken, loan, dayAt(105))).toMatchObject({ eligible: false, heldDays: 0 });
    expect(benefitStatus(broken, loan, dayAt(200))).toMatchObject({
      eligible: false,
      heldDays: 90,
      heldSince: dayAt(110),
    });
    expect(benefitStatus(broken, loan, dayAt(289))).toMatchObject({
      eligible: false,
      heldDays: 179,
    });
    expect(benefitStatus(broken, loan, dayAt(290))).toMatchObject({
      eligible: true,
      heldDays: 180,
    });
  });

  it("counts any rating at or above the minimum as held: AAA then AA keeps 'AA or better'", () => {
    const insurance = benefit("insurance_discount");
    const steps = history([line(200, 0, 100), line(100, 0, 60)]);
    // AAA from day 0 to 60, AA until day 100, then A.
    expect(benefitStatus(steps, insurance, dayAt(99))).toMatchObject({
      heldDays: 99,
      heldSince: dayAt(0),
    });
    expect(benefitStatus(steps, insurance, dayAt(100))).toMatchObject({ heldDays: 0 });
  });

  it("grants 'A or better now' at once, and refuses it at B", () => {
    const rental = benefit("deposit_free_rental");
    expect(benefitStatus(history([]), rental, dayAt(0))).toMatchObject({
      eligible: true,
      heldDays: 0,
    });
    expect(benefitStatus(history([line(-1, 0, 50)]), rental, dayAt(10))).toMatchObject({
      eligible: false,
    });
  });

  it("air travel needs A or better for 90 days", () => {
    const air = benefit("air_travel_discount");
    const dip = history([line(-20, 30, 60)]);
    expect(benefitStatus(dip, air, dayAt(149))).toMatchObject({ eligible: false, heldDays: 89 });
    expect(benefitStatus(dip, air, dayAt(150))).toMatchObject({ eligible: true, heldDays: 90 });
  });

  it("ignores history after `at` and knows nothing before the history starts", () => {
    expect(benefitStatus(aaa, loan, dayAt(0) - 1)).toMatchObject({
      eligible: false,
      heldSince: undefined,
    });
    expect(benefitStatus([], loan, dayAt(500))).toMatchObject({ eligible: false, heldDays: 0 });
  });
});
