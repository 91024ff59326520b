import { countsAt, type LedgerLine } from "./entry.js";
import { type Rating, type RatingThresholds, ratingOf } from "./rating.js";
import type { Instant } from "./time.js";

export type ScoringPolicy = Readonly<{ baseScore: number; ratingThresholds: RatingThresholds }>;

/** Charter item 1 and 2: the base plus the points of the subject's own entries that count at `at`. */
export function scoreAt(lines: Iterable<LedgerLine>, baseScore: number, at: Instant): number {
  let score = baseScore;
  for (const line of lines) {
    if (countsAt(line, at)) score += line.points;
  }
  return score;
}

export type ScorePoint = Readonly<{ at: Instant; score: number; rating: Rating }>;

/**
 * Every score change in [from, to]: when entries start and stop counting, including expiries,
 * which move the score with no event arriving. The first point is the score at `from`.
 */
export function scoreTimeline(
  lines: readonly LedgerLine[],
  policy: ScoringPolicy,
  range: Readonly<{ from: Instant; to: Instant }>,
): ScorePoint[] {
  const changes = new Map<Instant, number>();
  const add = (at: Instant, points: number) => changes.set(at, (changes.get(at) ?? 0) + points);
  for (const line of lines) {
    // A line that expires before it takes effect never counts (see `countsAt`): no change at all.
    if (line.status !== "effective" || line.points === 0 || line.expiresAt <= line.effectiveAt) {
      continue;
    }
    if (line.effectiveAt > range.from && line.effectiveAt <= range.to)
      add(line.effectiveAt, line.points);
    if (line.expiresAt > range.from && line.expiresAt <= range.to)
      add(line.expiresAt, -line.points);
  }
  let score = scoreAt(lines, policy.baseScore, range.from);
  const timeline: ScorePoint[] = [
    { at: range.from, score, rating: ratingOf(score, policy.ratingThresholds) },
  ];
  for (const at of [...changes.keys()].sort((a, b) => a - b)) {
    const delta = changes.get(at) ?? 0;
    if (delta === 0) continue;
    score += delta;
    timeline.push({ at, score, rating: ratingOf(score, policy.ratingThresholds) });
  }
  return timeline;
}

/** The timeline reduced to the moments the rating changed; the first point is the start. */
export function ratingHistory(
  lines: readonly LedgerLine[],
  policy: ScoringPolicy,
  range: Readonly<{ from: Instant; to: Instant }>,
): ScorePoint[] {
  const history: ScorePoint[] = [];
  for (const point of scoreTimeline(lines, policy, range)) {
    if (history.at(-1)?.rating !== point.rating) history.push(point);
  }
  return history;
}
