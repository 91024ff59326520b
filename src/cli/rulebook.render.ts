import { formatInstant } from "../core/time.js";
import type { PublishedRulebook } from "../store/store.js";
import { formatTable, signed } from "./table.js";

export function rulebookText(published: PublishedRulebook): string {
  const { rulebook } = published;
  const thresholds = Object.entries(rulebook.ratingThresholds)
    .map(([rating, minimum]) => `${rating} from ${minimum}`)
    .join(", ");
  return `rulebook version ${published.version}: ${rulebook.title}
published ${formatInstant(published.publishedAt)} by ${published.publishedBy}
base score ${rulebook.baseScore}; ratings ${thresholds}, D below; camera attributions below confidence ${rulebook.cameraConfidenceMin} wait for review

${formatTable(
  ["type", "category", "points", "expires", "cap", "legal basis"],
  rulebook.rules.map((rule) => [
    rule.type,
    rule.category,
    signed(rule.points),
    `${rule.expiresAfterDays} d`,
    rule.cap ? `${signed(rule.cap.points)} per ${rule.cap.windowDays} d` : "",
    rule.legalBasis,
  ]),
  { alignRight: [2, 3] },
)}
benefits
${formatTable(
  ["id", "name", "requires"],
  rulebook.benefits.map((benefit) => [
    benefit.id,
    benefit.name,
    `${benefit.ratingMin} or better${benefit.heldDaysMin > 0 ? ` held ${benefit.heldDaysMin} days` : " now"}`,
  ]),
)}`;
}
