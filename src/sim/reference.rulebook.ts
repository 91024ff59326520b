import { parse } from "yaml";
import type { Rating } from "../core/rating.js";

/**
 * The auditor's own reading of a published rulebook: the figures straight from its YAML text,
 * without the core's compiler, so that a mistake there cannot hide in both.
 */
export type ReferenceRule = Readonly<{
  index: number;
  type: string;
  points: number;
  expiresAfterDays: number;
  cap: Readonly<{ points: number; windowDays: number }> | undefined;
}>;

export type ReferenceBenefit = Readonly<{ id: string; ratingMin: Rating; heldDaysMin: number }>;

export type ReferenceRulebook = Readonly<{
  baseScore: number;
  /** Lowest score of each rating, best first; below the last is D. */
  thresholds: readonly (readonly [Rating, number])[];
  cameraConfidenceMin: number;
  rules: ReadonlyMap<string, ReferenceRule>;
  benefits: readonly ReferenceBenefit[];
}>;

/** Ratings best first; a rating's index is its rank. */
export const referenceRatings: readonly Rating[] = ["AAA", "AA", "A", "B", "C", "D"];

export function readReferenceRulebook(text: string): ReferenceRulebook {
  const document = parse(text) as Record<string, unknown>;
  const thresholds = document.ratingThresholds as Record<string, unknown>;
  const rules = new Map<string, ReferenceRule>();
  (document.rules as Record<string, unknown>[]).forEach((rule, index) => {
    const cap = rule.cap as Record<string, unknown> | undefined;
    rules.set(String(rule.type), {
      index,
      type: String(rule.type),
      points: number(rule.points),
      expiresAfterDays: number(rule.expiresAfterDays),
      cap: cap && { points: number(cap.points), windowDays: number(cap.windowDays) },
    });
  });
  const benefits = ((document.benefits as Record<string, unknown>[] | undefined) ?? []).map(
    (benefit) => ({
      id: String(benefit.id),
      ratingMin: String(benefit.ratingMin) as Rating,
      heldDaysMin: number(benefit.heldDaysMin),
    }),
  );
  return {
    baseScore: number(document.baseScore),
    thresholds: (["AAA", "AA", "A", "B", "C"] as const).map(
      (rating) => [rating, number(thresholds[rating])] as const,
    ),
    cameraConfidenceMin: number(document.cameraConfidenceMin),
    rules,
    benefits,
  };
}

export function referenceRating(score: number, rulebook: ReferenceRulebook): Rating {
  for (const [rating, lowest] of rulebook.thresholds) if (score >= lowest) return rating;
  return "D";
}

/** True when `rating` is `minimum` or better. */
export function atLeast(rating: Rating, minimum: Rating): boolean {
  return referenceRatings.indexOf(rating) <= referenceRatings.indexOf(minimum);
}

function number(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`the rulebook holds '${String(value)}' where a number belongs`);
  }
  return value;
}
