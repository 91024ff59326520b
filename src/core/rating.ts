/** Ratings from best to worst. The index in this list is the rating's rank (0 is best). */
export const ratings = ["AAA", "AA", "A", "B", "C", "D"] as const;
export type Rating = (typeof ratings)[number];

/** The lowest score of each rating above D; D is everything below C. */
export type RatingThresholds = Readonly<Record<Exclude<Rating, "D">, number>>;

export function ratingOf(score: number, thresholds: RatingThresholds): Rating {
  if (score >= thresholds.AAA) return "AAA";
  if (score >= thresholds.AA) return "AA";
  if (score >= thresholds.A) return "A";
  if (score >= thresholds.B) return "B";
  if (score >= thresholds.C) return "C";
  return "D";
}

/** True when `rating` is `minimum` or better. */
export function ratingAtLeast(rating: Rating, minimum: Rating): boolean {
  return ratings.indexOf(rating) <= ratings.indexOf(minimum);
}

export function isRating(value: string): value is Rating {
  return (ratings as readonly string[]).includes(value);
}
