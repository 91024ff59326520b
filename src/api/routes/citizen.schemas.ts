import { z } from "zod";
import { overdueDecider } from "../../core/appeal.js";
import { storedStatuses } from "../../core/entry.js";
import { disclosures, partnerKinds, purposes } from "../../core/purpose.js";
import { ratings } from "../../core/rating.js";
import { sourceKinds } from "../../core/source.js";
import { formatInstant } from "../../core/time.js";
import { transitionKinds } from "../../core/transition.js";
import type { CitizenEntry } from "../../ledger/citizen.entries.js";
import type { Notification } from "../../ledger/notifications.js";
import type { AppealRecord } from "../../store/access.store.js";
import { ratingChangeCauses, type TransitionRecord } from "../../store/store.js";
import { timeSchema } from "../responses.js";
import { conductFactsShape, presentConductFacts } from "./conduct.schemas.js";

/** Wire shapes of what a citizen reads, with the functions that fill them from records. */

const optionalTime = (instant: number | undefined) =>
  instant === undefined ? undefined : formatInstant(instant);

export const scorePointSchema = z.object({
  at: timeSchema,
  score: z.number().int(),
  rating: z.enum(ratings),
});

const evidenceSchema = z.object({
  description: z.string(),
  reference: z.string().optional(),
  url: z.string().optional(),
});

export const appealSchema = z
  .object({
    id: z.number().int(),
    entryId: z.number().int(),
    state: z.enum(["open", "upheld", "reversed"]),
    statement: z.string(),
    evidenceUrl: z.string().optional(),
    openedAt: timeSchema,
    deadlineAt: timeSchema.describe("decided for the subject if still open at this time"),
    decidedBy: z.string().optional(),
    decidedAt: timeSchema.optional(),
    reason: z.string().optional(),
    decidedAtDeadline: z
      .boolean()
      .describe("true when nobody decided in time and the charter decided for the subject"),
  })
  .meta({ id: "Appeal" });

export function presentAppeal(appeal: AppealRecord): z.output<typeof appealSchema> {
  return {
    id: appeal.id,
    entryId: appeal.entryId,
    state: appeal.outcome ?? "open",
    statement: appeal.statement,
    evidenceUrl: appeal.evidenceUrl,
    openedAt: formatInstant(appeal.openedAt),
    deadlineAt: formatInstant(appeal.deadlineAt),
    decidedBy: appeal.decidedBy,
    decidedAt: optionalTime(appeal.decidedAt),
    reason: appeal.reason,
    decidedAtDeadline: appeal.decidedBy === overdueDecider,
  };
}

export const citizenEntrySchema = z
  .object({
    id: z.number().int(),
    reason: z.string().describe("the rule's description: why these points"),
    ruleType: z.string(),
    legalBasis: z.string(),
    category: z.string(),
    source: z.string(),
    sourceKind: z.enum(sourceKinds),
    eventId: z.string(),
    evidence: evidenceSchema,
    confidence: z.number().optional().describe("automatic attributions (cameras): 0 to 1"),
    ...conductFactsShape,
    points: z.number().int(),
    status: z.enum([...storedStatuses, "expired"]),
    counts: z.boolean().describe("whether the points are in the score now"),
    occurredAt: timeSchema,
    recordedAt: timeSchema,
    expiresAt: timeSchema,
    rulebookVersion: z.number().int().describe("the rulebook version that priced the entry"),
    openAppeal: appealSchema.optional(),
  })
  .meta({ id: "CitizenEntry" });

export function presentEntry(view: CitizenEntry): z.output<typeof citizenEntrySchema> {
  const { entry, rule } = view;
  return {
    id: entry.id,
    reason: rule.description,
    ruleType: rule.type,
    legalBasis: rule.legalBasis,
    category: entry.category,
    source: entry.source,
    sourceKind: entry.sourceKind,
    eventId: entry.eventId,
    evidence: { ...entry.evidence },
    confidence: entry.confidence,
    ...presentConductFacts(entry),
    points: entry.points,
    status: view.status,
    counts: view.counts,
    occurredAt: formatInstant(entry.occurredAt),
    recordedAt: formatInstant(entry.recordedAt),
    expiresAt: formatInstant(entry.expiresAt),
    rulebookVersion: entry.rulebookVersion,
    openAppeal: view.openAppeal ? presentAppeal(view.openAppeal) : undefined,
  };
}

export const transitionSchema = z.object({
  kind: z.enum(transitionKinds),
  actor: z.string().describe("who made the change (charter item 9)"),
  at: timeSchema,
  reason: z.string(),
});

export function presentTransition(transition: TransitionRecord): z.output<typeof transitionSchema> {
  return {
    kind: transition.kind,
    actor: transition.actor,
    at: formatInstant(transition.at),
    reason: transition.reason,
  };
}

export const inquirySchema = z.object({
  id: z.number().int(),
  partner: z.string(),
  partnerKind: z.enum(partnerKinds).optional(),
  purpose: z.enum(purposes),
  disclosure: z.enum(disclosures).describe("what the partner asked for"),
  allowed: z.boolean(),
  refusal: z.string().optional().describe("why it was refused"),
  disclosed: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .describe("exactly what the partner learned; empty when refused"),
  at: timeSchema,
});

/** What every notification has, whatever its kind. */
const notificationShape = {
  id: z.string().describe("stable across readings"),
  at: timeSchema,
  message: z
    .string()
    .describe("the notification in English; the other fields hold its facts, to word it otherwise"),
  entryId: z.number().int().optional(),
  appealId: z.number().int().optional(),
  inquiryId: z.number().int().optional(),
  benefitId: z.string().optional(),
};

const entryNotificationShape = {
  ...notificationShape,
  ruleType: z.string(),
  ruleDescription: z
    .string()
    .optional()
    .describe("the current rulebook's description of the rule; absent when none prices the type"),
  points: z.number().int(),
  source: z.string(),
  sourceKind: z.enum(sourceKinds),
  confidence: z.number().optional(),
  capped: z.boolean().describe("the rule's cap was reached: the entry adds no points"),
};

const benefitNotificationShape = { ...notificationShape, benefitName: z.string() };

export const notificationSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("entry_recorded"), ...entryNotificationShape }),
    z.object({ kind: z.literal("entry_pending_review"), ...entryNotificationShape }),
    z.object({
      kind: z.literal("entry_reviewed"),
      ...notificationShape,
      decision: z.enum(["confirmed", "rejected"]),
      reason: z.string(),
    }),
    z.object({
      kind: z.literal("appeal_decided"),
      ...notificationShape,
      outcome: z.enum(["upheld", "reversed"]).describe("`reversed`: the appeal was granted"),
      overdue: z.boolean().describe("decided for the subject: nobody decided it in time"),
      reason: z.string().optional(),
    }),
    z.object({
      kind: z.literal("inquiry_made"),
      ...notificationShape,
      partner: z.string(),
      purpose: z.enum(purposes),
      disclosure: z.enum(disclosures),
      allowed: z.boolean(),
      refusal: z.string().optional().describe("why it was refused"),
    }),
    z.object({
      kind: z.literal("rating_changed"),
      ...notificationShape,
      from: z.enum(ratings),
      to: z.enum(ratings),
      score: z.number().int(),
      cause: z.enum(ratingChangeCauses),
    }),
    z.object({ kind: z.literal("benefit_gained"), ...benefitNotificationShape }),
    z.object({ kind: z.literal("benefit_lost"), ...benefitNotificationShape }),
  ])
  .meta({ id: "Notification" });

export function presentNotification(
  notification: Notification,
): z.output<typeof notificationSchema> {
  return { ...notification, at: formatInstant(notification.at) };
}
