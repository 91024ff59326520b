import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultRulebook } from "../test-support/core.js";
import {
  isRating,
  type Rating,
  type RatingThresholds,
  ratingAtLeast,
  ratingOf,
  ratings,
} from "./rating.js";

const thresholds = defaultRulebook.ratingThresholds;

describe("ratingOf with the default thresholds (DESIGN section 1)", () => {
  it.each([
    [100_000, "AAA"],
    [1300, "AAA"],
    [1299, "AA"],
    [1150, "AA"],
    [1149, "A"],
    [1000, "A"],
    [999, "B"],
    [850, "B"],
    [849, "C"],
    [600, "C"],
    [599, "D"],
    [0, "D"],
    [-500, "D"],
  ] as const)("rates %i as %s", (score, rating) => {
    expect(ratingOf(score, thresholds)).toBe(rating);
  });
});

describe("ratingAtLeast and isRating", () => {
  it("orders the ratings from AAA down to D", () => {
    for (const [rank, rating] of ratings.entries()) {
      for (const [otherRank, other] of ratings.entries()) {
        expect(ratingAtLeast(rating, other)).toBe(rank <= otherRank);
      }
    }
  });

  it.each([
    ["AAA", true],
    ["D", true],
    ["E", false],
    ["aaa", false],
    ["", false],
  ] as const)("knows %j is a rating: %s", (value, expected) => {
    expect(isRating(value)).toBe(expected);
  });
});

/** Strictly decreasing thresholds AAA > AA > A > B > C > 0, as the compiler requires. */
const thresholdsArbitrary = fc
  .uniqueArray(fc.integer({ min: 1, max: 5_000 }), { minLength: 5, maxLength: 5 })
  .map((values): RatingThresholds => {
    const [AAA, AA, A, B, C] = [...values].sort((a, b) => b - a) as [
      number,
      number,
      number,
      number,
      number,
    ];
    return { AAA, AA, A, B, C };
  });

const rank = (rating: Rating) => ratings.indexOf(rating);

describe("ratingOf properties", () => {
  it("is monotone: a higher score never has a worse rating", () => {
    fc.assert(
      fc.property(
        thresholdsArbitrary,
        fc.integer({ min: -1_000, max: 6_000 }),
        fc.integer({ min: -1_000, max: 6_000 }),
        (limits, first, second) => {
          const [low, high] = first <= second ? [first, second] : [second, first];
          expect(rank(ratingOf(high, limits))).toBeLessThanOrEqual(rank(ratingOf(low, limits)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("partitions the score line: each rating is exactly [its threshold, the next one up)", () => {
    fc.assert(
      fc.property(thresholdsArbitrary, fc.integer({ min: -1_000, max: 6_000 }), (limits, score) => {
        const bounds: [Rating, number, number][] = [
          ["AAA", limits.AAA, Number.POSITIVE_INFINITY],
          ["AA", limits.AA, limits.AAA],
          ["A", limits.A, limits.AA],
          ["B", limits.B, limits.A],
          ["C", limits.C, limits.B],
          ["D", Number.NEGATIVE_INFINITY, limits.C],
        ];
        const containing = bounds.filter(([, low, high]) => low <= score && score < high);
        expect(containing).toHaveLength(1);
        expect(ratingOf(score, limits)).toBe(containing[0]?.[0]);
        // Each threshold is the lowest score of its rating; one below is the next rating down.
        for (const rating of ["AAA", "AA", "A", "B", "C"] as const) {
          expect(ratingOf(limits[rating], limits)).toBe(rating);
          expect(ratingOf(limits[rating] - 1, limits)).toBe(ratings[rank(rating) + 1]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
