import { z } from "zod";
import { storedStatuses } from "../../core/entry.js";
import type { Rulebook } from "../../core/rulebook.js";
import { sourceKinds } from "../../core/source.js";
import { formatInstant } from "../../core/time.js";
import type { EntryRecord } from "../../store/store.js";
import { timeSchema } from "../responses.js";
import { conductFactsShape, presentConductFacts } from "./conduct.schemas.js";

/** Reasons reviewers write for a review or appeal decision. */
export const decisionReasonLengthMax = 2_000;

/** The written reason every review or appeal decision carries. */
export const decisionReasonSchema = z.string().trim().min(1).max(decisionReasonLengthMax);

/**
 * An entry as a reviewer sees it: whom it is attributed to, the evidence, the confidence, and
 * what the source reported about the conduct.
 */
export const reviewEntrySchema = z
  .object({
    id: z.number().int(),
    subjectId: z.string().describe("whom the source attributed the conduct to"),
    type: z.string(),
    reason: z.string().describe("the rule's description"),
    category: z.string(),
    points: z.number().int(),
    status: z.enum(storedStatuses),
    source: z.string(),
    sourceKind: z.enum(sourceKinds),
    eventId: z.string(),
    evidence: z.object({
      description: z.string(),
      reference: z.string().optional(),
      url: z.string().optional(),
    }),
    confidence: z.number().optional(),
    ...conductFactsShape,
    occurredAt: timeSchema,
    recordedAt: timeSchema,
    rulebookVersion: z.number().int(),
  })
  .meta({ id: "ReviewEntry" });

export function presentReviewEntry(
  entry: EntryRecord,
  rulebooks: ReadonlyMap<number, Rulebook>,
): z.output<typeof reviewEntrySchema> {
  return {
    id: entry.id,
    subjectId: entry.subjectId,
    type: entry.type,
    reason: rulebooks.get(entry.rulebookVersion)?.ruleByType.get(entry.type)?.description ?? "",
    category: entry.category,
    points: entry.points,
    status: entry.status,
    source: entry.source,
    sourceKind: entry.sourceKind,
    eventId: entry.eventId,
    evidence: { ...entry.evidence },
    confidence: entry.confidence,
    ...presentConductFacts(entry),
    occurredAt: formatInstant(entry.occurredAt),
    recordedAt: formatInstant(entry.recordedAt),
    rulebookVersion: entry.rulebookVersion,
  };
}
