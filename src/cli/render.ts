import { formatInstant } from "../core/time.js";
import type { EntryView, ScoreView } from "../ledger/score.view.js";

/** An entry as JSON: every field, times in ISO 8601 UTC, the status as displayed at the time. */
export function entryJson({ entry, status, counts }: EntryView) {
  return {
    id: entry.id,
    type: entry.type,
    category: entry.category,
    points: entry.points,
    status,
    storedStatus: entry.status,
    counts,
    occurredAt: formatInstant(entry.occurredAt),
    effectiveAt: formatInstant(entry.effectiveAt),
    expiresAt: formatInstant(entry.expiresAt),
    recordedAt: formatInstant(entry.recordedAt),
    source: entry.source,
    sourceKind: entry.sourceKind,
    eventId: entry.eventId,
    evidence: entry.evidence,
    confidence: entry.confidence ?? null,
    region: entry.region ?? null,
    attributes: entry.attributes ?? null,
    rulebookVersion: entry.rulebookVersion,
  };
}

export function scoreViewJson(view: ScoreView) {
  return {
    subject: {
      id: view.subject.id,
      region: view.subject.region,
      enrolledAt: formatInstant(view.subject.enrolledAt),
    },
    at: formatInstant(view.at),
    rulebookVersion: view.rulebookVersion,
    baseScore: view.baseScore,
    score: view.score,
    rating: view.rating,
    summary: {
      ...view.summary,
      nextExpiry: view.summary.nextExpiry && {
        ...view.summary.nextExpiry,
        at: formatInstant(view.summary.nextExpiry.at),
      },
    },
    ratingHistory: view.ratingHistory.map((point) => ({ ...point, at: formatInstant(point.at) })),
    benefits: view.benefits.map((benefit) => ({
      ...benefit,
      heldSince: benefit.heldSince === undefined ? null : formatInstant(benefit.heldSince),
    })),
  };
}
