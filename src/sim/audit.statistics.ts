import type { Instant } from "../core/time.js";
import type { RegionRatings } from "./driver.js";
import type { ReferenceLedger } from "./reference.ledger.js";
import { referenceRating } from "./reference.rulebook.js";

/** Subjects per "region rating" at `at`, by the model. */
export function expectedRatingsByRegion(
  ledger: ReferenceLedger,
  city: Readonly<{ subjectIds: readonly string[]; regionOf: (subject: number) => string }>,
  at: Instant,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let subject = 0; subject < city.subjectIds.length; subject++) {
    const rating = referenceRating(ledger.scoreAt(subject, at), ledger.rulebook);
    const key = `${city.regionOf(subject)} ${rating}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The first way the system's counts differ from the model's, if any. A server may hold other
 * people too (another run, the demo): only the city's own regions count.
 */
export function ratingsDifference(
  expected: ReadonlyMap<string, number>,
  rows: RegionRatings,
  at: Instant,
): string | undefined {
  const regions = new Set([...expected.keys()].map((key) => key.slice(0, key.lastIndexOf(" "))));
  const actual = new Map<string, number>();
  for (const row of rows) {
    if (regions.has(row.region)) actual.set(`${row.region} ${row.rating}`, row.subjects);
  }
  const when = new Date(at).toISOString();
  for (const [key, count] of expected) {
    if ((actual.get(key) ?? 0) !== count) {
      return `at ${when} the system counts ${actual.get(key) ?? 0} subjects in ${key}, the model ${count}`;
    }
    actual.delete(key);
  }
  for (const [key, count] of actual) {
    if (count !== 0)
      return `at ${when} the system counts ${count} subjects in ${key}, the model none`;
  }
  return undefined;
}
