import { type Rating, ratingOf } from "../core/rating.js";
import { scoreAt } from "../core/score.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";

/** Subjects read and recomputed per round trip: bounds memory to one page of entries. */
export const verifyPageSubjectsMax = 500;
/** Differences kept for the report; the rest are only counted. */
export const verifyDifferencesMax = 1_000;

export type ScoreAndRating = Readonly<{ score: number; rating: Rating }>;

export type ScoreDifference = Readonly<{
  subjectId: string;
  /** Undefined when the store holds no score for an enrolled subject. */
  stored: ScoreAndRating | undefined;
  recomputed: ScoreAndRating;
}>;

export type VerifyProgress = Readonly<{ subjectsChecked: number; subjectsTotal: number }>;

export type VerifyReport = Readonly<{
  /** The ledger clock the scores were compared at. */
  at: Instant;
  subjects: number;
  entries: number;
  differenceCount: number;
  /** The first `verifyDifferencesMax` differences. */
  differences: ScoreDifference[];
}>;

export type VerifyOptions = Readonly<{
  at?: Instant;
  pageSize?: number;
  onProgress?: (progress: VerifyProgress) => void;
}>;

/**
 * The auditor: recomputes every subject's score from its entries with the core and compares it
 * with the stored score. The clock first moves to `at`, so the expiries due by then are applied.
 */
export async function verifyLedger(
  store: LedgerStore,
  { at = Date.now(), pageSize = verifyPageSubjectsMax, onProgress }: VerifyOptions = {},
): Promise<VerifyReport> {
  const published = await store.currentRulebook();
  if (!published) throw new Error("no rulebook is published; nothing can be verified");
  const { baseScore, ratingThresholds } = published.rulebook;
  await store.advanceClock(at);
  const clock = await store.ledgerClock();
  const subjectsTotal = (await store.counts()).subjects;
  const differences: ScoreDifference[] = [];
  let differenceCount = 0;
  let subjects = 0;
  let entries = 0;
  let after = 0;
  for (;;) {
    const page = await store.subjectsPage(after, pageSize);
    if (page.length === 0) break;
    const internalIds = page.map((subject) => subject.internalId);
    const [entriesById, storedById] = await Promise.all([
      store.entriesOfSubjects(internalIds),
      store.storedScores(internalIds),
    ]);
    for (const subject of page) {
      const lines = entriesById.get(subject.internalId) ?? [];
      entries += lines.length;
      const score = scoreAt(lines, baseScore, clock);
      const recomputed = { score, rating: ratingOf(score, ratingThresholds) };
      const stored = storedById.get(subject.internalId);
      if (stored?.score === recomputed.score && stored.rating === recomputed.rating) continue;
      differenceCount++;
      if (differences.length < verifyDifferencesMax) {
        differences.push({
          subjectId: subject.id,
          stored: stored && { score: stored.score, rating: stored.rating },
          recomputed,
        });
      }
    }
    subjects += page.length;
    const last = (page.at(-1) as (typeof page)[number]).internalId;
    if (last <= after) throw new Error(`subjectsPage went back from ${after} to ${last}`);
    after = last;
    onProgress?.({ subjectsChecked: subjects, subjectsTotal: Math.max(subjectsTotal, subjects) });
  }
  return { at: clock, subjects, entries, differenceCount, differences };
}
