import { formatInstant } from "../core/time.js";
import type { PublishedRulebook } from "../store/store.js";

/** A published rulebook as plain data: what `civic rulebook show --json` and the API answer. */
export function rulebookJson(published: PublishedRulebook) {
  const { rulebook } = published;
  return {
    version: published.version,
    publishedAt: formatInstant(published.publishedAt),
    publishedBy: published.publishedBy,
    title: rulebook.title,
    baseScore: rulebook.baseScore,
    ratingThresholds: rulebook.ratingThresholds,
    cameraConfidenceMin: rulebook.cameraConfidenceMin,
    rules: rulebook.rules.map((rule) => ({
      type: rule.type,
      category: rule.category,
      points: rule.points,
      expiresAfterDays: rule.expiresAfterDays,
      cap: rule.cap ? { points: rule.cap.points, windowDays: rule.cap.windowDays } : null,
      legalBasis: rule.legalBasis,
      description: rule.description,
    })),
    benefits: rulebook.benefits.map((benefit) => ({ ...benefit })),
    text: published.text,
  };
}
