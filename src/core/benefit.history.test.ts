import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { benefitChanges } from "./benefit.history.js";
import { benefitStatus } from "./benefit.js";
import { type Rating, ratings } from "./rating.js";
import type { Benefit } from "./rulebook.js";
import type { ScorePoint } from "./score.js";
import { days } from "./time.js";

const start = Date.parse("2026-01-01T00:00:00Z");
const loanDiscount: Benefit = {
  id: "loan_discount",
  name: "Loan discount",
  description: "",
  ratingMin: "AAA",
  heldDaysMin: 180,
};

const point = (day: number, rating: Rating): ScorePoint => ({
  at: start + days(day),
  score: 0,
  rating,
});

describe("benefitChanges", () => {
  it("gains a benefit when the rating has been held long enough", () => {
    const history = [point(0, "A"), point(10, "AAA")];
    expect(benefitChanges(history, loanDiscount, start + days(400))).toEqual([
      { benefitId: "loan_discount", at: start + days(190), eligible: true },
    ]);
  });

  it("loses it when the rating drops, and holding starts again from zero", () => {
    const history = [point(0, "AAA"), point(200, "AA"), point(210, "AAA")];
    expect(benefitChanges(history, loanDiscount, start + days(500))).toEqual([
      { benefitId: "loan_discount", at: start + days(180), eligible: true },
      { benefitId: "loan_discount", at: start + days(200), eligible: false },
      { benefitId: "loan_discount", at: start + days(390), eligible: true },
    ]);
  });

  it("gains nothing when the rating drops the moment the hold would be complete", () => {
    const history = [point(0, "AAA"), point(180, "AA")];
    expect(benefitChanges(history, loanDiscount, start + days(400))).toEqual([]);
  });

  it("reports nothing after `to`", () => {
    const history = [point(0, "AAA")];
    expect(benefitChanges(history, loanDiscount, start + days(179))).toEqual([]);
  });

  it("a benefit needing no hold is gained when the rating is reached", () => {
    const rental = { ...loanDiscount, ratingMin: "A" as const, heldDaysMin: 0 };
    const history = [point(0, "A"), point(5, "B"), point(9, "AA")];
    expect(benefitChanges(history, rental, start + days(20)).map((c) => c.eligible)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it("agrees with benefitStatus at every instant (property)", () => {
    const historyArbitrary = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.constantFrom(...ratings)), {
        maxLength: 12,
      })
      .map((steps) => {
        let day = 0;
        const history = [point(0, "A")];
        for (const [gap, rating] of steps) {
          day += gap;
          history.push(point(day, rating));
        }
        return history;
      });
    fc.assert(
      fc.property(
        historyArbitrary,
        fc.constantFrom(...ratings),
        fc.integer({ min: 0, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 10 }),
        fc.constantFrom(0, 1, 3_600_000),
        (history, ratingMin, heldDaysMin, probeDays, offset) => {
          const benefit = { ...loanDiscount, ratingMin, heldDaysMin };
          const to = start + days(1_500);
          const changes = benefitChanges(history, benefit, to);
          for (const probeDay of probeDays) {
            const at = start + days(probeDay) + offset;
            const last = changes.filter((change) => change.at <= at).at(-1);
            expect(last?.eligible ?? false).toBe(benefitStatus(history, benefit, at).eligible);
          }
          changes.forEach((change, index) => {
            expect(change.eligible).toBe(index % 2 === 0);
          });
        },
      ),
    );
  });
});
