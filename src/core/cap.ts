import type { Cap } from "./rulebook.js";
import type { Instant } from "./time.js";

/** An entry of the same subject and type that takes room under the cap. */
export type Award = Readonly<{ occurredAt: Instant; points: number }>;

/**
 * True when an event worth `points` at `occurredAt` keeps the sum of awards in every window of
 * the cap's length that contains it within the cap ("+20 per 365 days" holds for any 365 days,
 * not calendar years). Awards may lie before or after the event: late reports are priced at
 * their occurrence time.
 */
export function fitsUnderCap(
  awards: readonly Award[],
  occurredAt: Instant,
  points: number,
  cap: Cap,
): boolean {
  const sign = Math.sign(cap.points);
  const limit = cap.points * sign;
  const window = cap.windowMilliseconds;
  const near = awards.filter((award) => Math.abs(award.occurredAt - occurredAt) < window);
  // Windows are [start, start + window) with start in (occurredAt - window, occurredAt]. The sum
  // only changes where an award enters, so the first start and each award's entry start suffice.
  const starts = [occurredAt - window + 1];
  for (const award of near) {
    const start = award.occurredAt - window + 1;
    if (start > occurredAt - window + 1 && start <= occurredAt) starts.push(start);
  }
  for (const start of starts) {
    let sum = points * sign;
    for (const award of near) {
      if (award.occurredAt >= start && award.occurredAt < start + window)
        sum += award.points * sign;
    }
    if (sum > limit) return false;
  }
  return true;
}
