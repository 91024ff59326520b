import type { Schemas } from "./client";

export const ratings = ["AAA", "AA", "A", "B", "C", "D"] as const;
export type Rating = (typeof ratings)[number];
export type RatingThresholds = Schemas["Rulebook"]["ratingThresholds"];

/** Each rating's band of scores, [low, high), from the rulebook's thresholds. */
export function ratingBands(
  thresholds: RatingThresholds,
): ReadonlyArray<{ rating: Rating; low: number; high: number }> {
  return [
    { rating: "AAA", low: thresholds.AAA, high: Number.POSITIVE_INFINITY },
    { rating: "AA", low: thresholds.AA, high: thresholds.AAA },
    { rating: "A", low: thresholds.A, high: thresholds.AA },
    { rating: "B", low: thresholds.B, high: thresholds.A },
    { rating: "C", low: thresholds.C, high: thresholds.B },
    { rating: "D", low: Number.NEGATIVE_INFINITY, high: thresholds.C },
  ];
}
