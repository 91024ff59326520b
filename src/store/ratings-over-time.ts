/**
 * `Statistics.ratingsOverTime` from the rating log, the same for every adapter: the adapter
 * counts the log's changes by region, ratings and sample point in one grouped query (the rows
 * of `RatingMoveRow`); this module adds them up into the distribution at each point.
 */
import { type Rating, ratings } from "../core/rating.js";
import { days, type Instant } from "../core/time.js";
import {
  ratingsOverTimePointsMax,
  ratingsOverTimeStepDays,
  type Statistics,
} from "./access.store.js";

/** The sample points up to `at`: the first one, and the step between two, in milliseconds. */
export type SampleGrid = Readonly<{ first: Instant; step: number }>;

/**
 * Rating changes counted by the subject's region, the ratings they left and entered, and
 * `point`: the index of the first sample point at or after the change (0 for every change at or
 * before the first point), e.g. `(max(at - first, 0) + step - 1) / step` in integers.
 * `from_rating` is null for an enrollment.
 */
export type RatingMoveRow = Readonly<{
  region: string;
  from_rating: Rating | null;
  to_rating: Rating;
  point: number;
  subjects: number;
}>;

export function sampleGrid(at: Instant): SampleGrid {
  const step = days(ratingsOverTimeStepDays);
  return { first: at - (ratingsOverTimePointsMax - 1) * step, step };
}

/**
 * The distribution at each point, from the counted moves of the whole log up to `at`: each
 * subject's log is a chain in time order (a change leaves the rating the one before it
 * entered), so the subjects in a rating at a point are those that entered it by then less those
 * that left it by then. Throws when the moves break that chain (a rating's count below zero).
 */
export function ratingsOverTimeOf(
  moves: Iterable<RatingMoveRow>,
  grid: SampleGrid,
): Statistics["ratingsOverTime"] {
  const counts = countsAtPoints(moves);
  // Nobody is enrolled at the points before the first enrollment: all but the last are left out.
  let firstEnrolled = ratingsOverTimePointsMax;
  for (const region of counts.values()) {
    for (const subjects of region) {
      const point = subjects.findIndex((count) => count > 0);
      if (point !== -1) firstEnrolled = Math.min(firstEnrolled, point);
    }
  }
  const kept = Math.min(Math.max(0, firstEnrolled - 1), ratingsOverTimePointsMax - 1);
  const series: Array<{ region: string; rating: Rating; subjects: number[] }> = [];
  for (const region of [...counts.keys()].sort(compareText)) {
    counts.get(region)?.forEach((subjects, index) => {
      const shown = [...subjects.subarray(kept)];
      const rating = ratings[index] as Rating;
      if (shown.some((count) => count > 0)) series.push({ region, rating, subjects: shown });
    });
  }
  const points = Array.from(
    { length: ratingsOverTimePointsMax - kept },
    (_, index) => grid.first + (kept + index) * grid.step,
  );
  return { points, series };
}

/**
 * Per region and rating (in the order of `ratings`), the subjects in the rating at each point:
 * the moves into it less the moves out of it, summed up to the point.
 */
function countsAtPoints(moves: Iterable<RatingMoveRow>): Map<string, Int32Array[]> {
  const counts = new Map<string, Int32Array[]>();
  for (const move of moves) {
    let region = counts.get(move.region);
    if (!region) {
      region = ratings.map(() => new Int32Array(ratingsOverTimePointsMax));
      counts.set(move.region, region);
    }
    add(region[ratingIndex(move.to_rating)] as Int32Array, move.point, move.subjects);
    if (move.from_rating !== null) {
      add(region[ratingIndex(move.from_rating)] as Int32Array, move.point, -move.subjects);
    }
  }
  for (const [name, region] of counts) {
    for (const subjects of region) {
      let running = 0;
      subjects.forEach((moved, point) => {
        running += moved;
        if (running < 0) throw new Error(`the rating log of region ${name} is not a chain`);
        subjects[point] = running;
      });
    }
  }
  return counts;
}

function add(counts: Int32Array, index: number, value: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= counts.length) {
    throw new Error(`point ${index} is outside the ${counts.length} points`);
  }
  counts[index] = (counts[index] as number) + value;
}

function ratingIndex(rating: Rating): number {
  const index = ratings.indexOf(rating);
  if (index === -1) throw new Error(`unknown rating ${rating} in the rating log`);
  return index;
}

/** By code unit, like SQLite's default collation: the same order on every machine. */
export function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
