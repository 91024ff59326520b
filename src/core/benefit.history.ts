import { ratingAtLeast } from "./rating.js";
import type { Benefit } from "./rulebook.js";
import type { ScorePoint } from "./score.js";
import { days, type Instant } from "./time.js";

/** The moment a subject became eligible for a benefit (`eligible`) or stopped being eligible. */
export type BenefitChange = Readonly<{ benefitId: string; at: Instant; eligible: boolean }>;

/**
 * When eligibility for `benefit` began and ended up to `to`, from a rating history (see
 * `ratingHistory`, points in time order, starting at enrollment). Agrees with `benefitStatus` at
 * every instant: eligible at `at` exactly when the last change at or before `at` says so.
 */
export function benefitChanges(
  history: readonly ScorePoint[],
  benefit: Benefit,
  to: Instant,
): BenefitChange[] {
  const changes: BenefitChange[] = [];
  const change = (at: Instant, eligible: boolean) =>
    changes.push({ benefitId: benefit.id, at, eligible });
  const holdMilliseconds = days(benefit.heldDaysMin);
  let heldSince: Instant | undefined;
  let eligible = false;
  for (let index = 0; index < history.length; index++) {
    const point = history[index] as ScorePoint;
    if (point.at > to) break;
    if (!ratingAtLeast(point.rating, benefit.ratingMin)) {
      if (eligible) change(point.at, false);
      heldSince = undefined;
      eligible = false;
      continue;
    }
    heldSince ??= point.at;
    const gainedAt = heldSince + holdMilliseconds;
    // The rating holds from this point until the next one (or `to`); eligibility can begin inside.
    const holdsUntil = history[index + 1]?.at ?? Number.POSITIVE_INFINITY;
    if (!eligible && gainedAt <= to && gainedAt < holdsUntil) {
      change(Math.max(gainedAt, point.at), true);
      eligible = true;
    }
  }
  return changes;
}
