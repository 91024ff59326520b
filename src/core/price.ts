import { type Award, fitsUnderCap } from "./cap.js";
import type { ConductEvent } from "./event.js";
import type { Rule } from "./rulebook.js";
import type { Instant } from "./time.js";

export type PricedStatus = "effective" | "pending_review" | "capped";

export type PricedEntry = Readonly<{
  points: number;
  status: PricedStatus;
  effectiveAt: Instant;
  expiresAt: Instant;
}>;

export type PriceInput = Readonly<{
  event: ConductEvent;
  rule: Rule;
  /** The rulebook's camera confidence threshold; lower-confidence attributions wait for review. */
  confidenceMin: number;
  receivedAt: Instant;
  /** The subject's awards of this type near the event (only read when the rule has a cap). */
  awards: readonly Award[];
}>;

/**
 * Prices one event by its rule at the event's occurrence time: expiry and cap windows run from
 * when the conduct happened, not from when it was reported.
 */
export function priceEvent({
  event,
  rule,
  confidenceMin,
  receivedAt,
  awards,
}: PriceInput): PricedEntry {
  const effectiveAt = Math.min(event.occurredAt, receivedAt);
  const expiresAt = event.occurredAt + rule.expiresAfterMilliseconds;
  if (rule.cap && !fitsUnderCap(awards, event.occurredAt, rule.points, rule.cap)) {
    return { points: 0, status: "capped", effectiveAt, expiresAt };
  }
  const needsReview = event.confidence !== undefined && event.confidence < confidenceMin;
  return {
    points: rule.points,
    status: needsReview ? "pending_review" : "effective",
    effectiveAt,
    expiresAt,
  };
}
