import { ratingAtLeast } from "./rating.js";
import type { Benefit } from "./rulebook.js";
import type { ScorePoint } from "./score.js";
import { type Instant, millisecondsPerDay } from "./time.js";

export type BenefitStatus = Readonly<{
  benefitId: string;
  eligible: boolean;
  /** Whole days the required rating has been held without a break, up to `at`. */
  heldDays: number;
  requiredDays: number;
  /** Since when the required rating has been held, if it is held at `at`. */
  heldSince: Instant | undefined;
}>;

/**
 * "AAA held for 180 days": eligible when the rating at `at` is at least the programme's and has
 * not dropped below it for the required number of days. `history` is a rating history
 * (see `ratingHistory`) starting at enrollment.
 */
export function benefitStatus(
  history: readonly ScorePoint[],
  benefit: Benefit,
  at: Instant,
): BenefitStatus {
  let heldSince: Instant | undefined;
  for (const point of history) {
    if (point.at > at) break;
    if (!ratingAtLeast(point.rating, benefit.ratingMin)) heldSince = undefined;
    else heldSince ??= point.at;
  }
  const heldDays = heldSince === undefined ? 0 : Math.floor((at - heldSince) / millisecondsPerDay);
  return {
    benefitId: benefit.id,
    eligible: heldSince !== undefined && heldDays >= benefit.heldDaysMin,
    heldDays,
    requiredDays: benefit.heldDaysMin,
    heldSince,
  };
}
