import { type BenefitStatus, benefitStatus } from "../core/benefit.js";
import { countsAt, displayedStatus, type EntryStatus } from "../core/entry.js";
import { type Rating, ratingOf, ratings } from "../core/rating.js";
import type { Rulebook } from "../core/rulebook.js";
import { ratingHistory, type ScorePoint, scoreAt } from "../core/score.js";
import type { Instant } from "../core/time.js";
import type { EntryRecord, LedgerStore, Subject } from "../store/store.js";

export type EntryView = Readonly<{
  entry: EntryRecord;
  /** The status as the subject would have seen it at the view's time. */
  status: EntryStatus;
  /** Whether the entry's points are in the score at the view's time. */
  counts: boolean;
}>;

export type BenefitView = BenefitStatus & Readonly<{ name: string; ratingMin: Rating }>;

/** "AAA held 42 of 180 days", "A or better held now". */
export function benefitProgress(
  benefit: Pick<BenefitView, "ratingMin" | "heldDays" | "requiredDays" | "eligible">,
): string {
  const rating =
    benefit.ratingMin === ratings[0] ? benefit.ratingMin : `${benefit.ratingMin} or better`;
  if (benefit.requiredDays === 0)
    return `${rating} ${benefit.eligible ? "held now" : "not held now"}`;
  return `${rating} held ${Math.min(benefit.heldDays, benefit.requiredDays)} of ${benefit.requiredDays} days`;
}

export type ScoreSummary = Readonly<{
  pointsGained: number;
  pointsLost: number;
  entriesCounting: number;
  entriesByStatus: Readonly<Partial<Record<EntryStatus, number>>>;
  /** The next counting entry to expire after the view's time: the score's next known move. */
  nextExpiry: Readonly<{ at: Instant; entryId: number; points: number }> | undefined;
}>;

export type ScoreView = Readonly<{
  subject: Subject;
  at: Instant;
  rulebookVersion: number;
  baseScore: number;
  score: number;
  rating: Rating;
  summary: ScoreSummary;
  /** Every rating change from enrollment (or `at`, if earlier) to `at`; the first is the start. */
  ratingHistory: ScorePoint[];
  benefits: BenefitView[];
  /** Entries whose conduct took effect by `at`, oldest first. */
  entries: EntryView[];
}>;

/** One subject's score at `at`, recomputed from its entries with the current rulebook. */
export async function loadScoreView(
  store: LedgerStore,
  subjectId: string,
  at: Instant,
): Promise<ScoreView | undefined> {
  const [subject, published] = await Promise.all([
    store.subject(subjectId),
    store.currentRulebook(),
  ]);
  if (!subject) return undefined;
  if (!published) throw new Error("no rulebook is published");
  const entries = await store.entries(subjectId);
  return buildScoreView({
    subject,
    entries,
    rulebook: published.rulebook,
    version: published.version,
    at,
  });
}

export function buildScoreView({
  subject,
  entries,
  rulebook,
  version,
  at,
}: Readonly<{
  subject: Subject;
  entries: readonly EntryRecord[];
  rulebook: Rulebook;
  version: number;
  at: Instant;
}>): ScoreView {
  const policy = { baseScore: rulebook.baseScore, ratingThresholds: rulebook.ratingThresholds };
  const score = scoreAt(entries, rulebook.baseScore, at);
  const history = ratingHistory(entries, policy, {
    from: Math.min(subject.enrolledAt, at),
    to: at,
  });
  const views = entries
    .filter((entry) => entry.effectiveAt <= at)
    .map((entry) => ({ entry, status: displayedStatus(entry, at), counts: countsAt(entry, at) }));
  return {
    subject,
    at,
    rulebookVersion: version,
    baseScore: rulebook.baseScore,
    score,
    rating: ratingOf(score, rulebook.ratingThresholds),
    summary: summarise(views),
    ratingHistory: history,
    benefits: rulebook.benefits.map((benefit) => ({
      ...benefitStatus(history, benefit, at),
      name: benefit.name,
      ratingMin: benefit.ratingMin,
    })),
    entries: views,
  };
}

function summarise(views: readonly EntryView[]): ScoreSummary {
  let pointsGained = 0;
  let pointsLost = 0;
  let entriesCounting = 0;
  const entriesByStatus: Partial<Record<EntryStatus, number>> = {};
  let nextExpiry: ScoreSummary["nextExpiry"];
  for (const { entry, status, counts } of views) {
    entriesByStatus[status] = (entriesByStatus[status] ?? 0) + 1;
    if (!counts) continue;
    entriesCounting++;
    if (entry.points > 0) pointsGained += entry.points;
    else pointsLost -= entry.points;
    if (entry.points !== 0 && (!nextExpiry || entry.expiresAt < nextExpiry.at)) {
      nextExpiry = { at: entry.expiresAt, entryId: entry.id, points: entry.points };
    }
  }
  return { pointsGained, pointsLost, entriesCounting, entriesByStatus, nextExpiry };
}
