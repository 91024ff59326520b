import type { Award } from "./cap.js";
import { countsAt } from "./entry.js";
import type { ConductEvent } from "./event.js";
import { type Outcome, refusal } from "./outcome.js";
import { type PricedEntry, priceEvent } from "./price.js";
import type { Rule, Rulebook } from "./rulebook.js";
import { type SourceProfile, sourceMayReport } from "./source.js";
import { days, formatInstant, futureToleranceMilliseconds, type Instant } from "./time.js";

/** The most events one batch may hold: bounds memory and the length of one write transaction. */
export const batchEventsMax = 10_000;

export type BatchItem = Readonly<{ event: ConductEvent; payloadHash: string }>;

export type StoredEvent = Readonly<{ payloadHash: string; entryId: number }>;

/** What the store knows that pricing needs, read inside the batch's write transaction. */
export type BatchContext = Readonly<{
  source: SourceProfile;
  rulebook: Rulebook;
  rulebookVersion: number;
  receivedAt: Instant;
  firstEntryId: number;
  /** This source's already stored events with these ids. */
  storedEvents: ReadonlyMap<string, StoredEvent>;
  /** Internal ids of the enrolled subjects among the batch's subjects. */
  subjectIds: ReadonlyMap<string, number>;
  /** Stored awards of a subject and capped type (see `holdsCapRoom`). */
  storedAwards: (subjectId: number, type: string) => readonly Award[];
}>;

export type AcceptedEntry = Readonly<{
  entryId: number;
  subjectId: number;
  rule: Rule;
  event: ConductEvent;
  payloadHash: string;
  priced: PricedEntry;
}>;

export type BatchPlan = Readonly<{
  /** One outcome per item, in order. */
  outcomes: Outcome[];
  accepted: AcceptedEntry[];
  /** Per subject, how far its score at `receivedAt` moves. */
  scoreDeltas: ReadonlyMap<number, number>;
}>;

/**
 * Decides every event of a batch: duplicates and refusals as values, the rest priced in order.
 * Pure: the store supplies what it knows, and writes the plan in the same transaction.
 */
export function planBatch(items: readonly BatchItem[], context: BatchContext): BatchPlan {
  if (items.length > batchEventsMax)
    throw new Error(`batch of ${items.length} exceeds ${batchEventsMax}`);
  const outcomes: Outcome[] = [];
  const accepted: AcceptedEntry[] = [];
  const scoreDeltas = new Map<number, number>();
  const seenInBatch = new Map<string, StoredEvent>();
  const batchAwards = new Map<string, Award[]>();

  for (const { event, payloadHash } of items) {
    const previous = seenInBatch.get(event.id) ?? context.storedEvents.get(event.id);
    if (previous) {
      outcomes.push(
        previous.payloadHash === payloadHash
          ? { kind: "duplicate", entryId: previous.entryId }
          : refusal(
              "id_reused_with_different_payload",
              `event id '${event.id}' was already used for a different report`,
            ),
      );
      continue;
    }
    const decided = decide(event, context);
    if ("kind" in decided) {
      outcomes.push(decided);
      continue;
    }
    const { rule, subjectId } = decided;
    const awardKey = `${subjectId}\u0000${rule.type}`;
    const inBatch = batchAwards.get(awardKey) ?? [];
    const priced = priceEvent({
      event,
      rule,
      confidenceMin: context.rulebook.cameraConfidenceMin,
      receivedAt: context.receivedAt,
      awards: rule.cap ? [...context.storedAwards(subjectId, rule.type), ...inBatch] : [],
    });
    if (rule.cap && priced.points !== 0) {
      inBatch.push({ occurredAt: event.occurredAt, points: priced.points });
      batchAwards.set(awardKey, inBatch);
    }
    const entryId = context.firstEntryId + accepted.length;
    accepted.push({ entryId, subjectId, rule, event, payloadHash, priced });
    seenInBatch.set(event.id, { payloadHash, entryId });
    outcomes.push({ kind: "accepted", entryId, points: priced.points, status: priced.status });
    if (countsAt(priced, context.receivedAt)) {
      scoreDeltas.set(subjectId, (scoreDeltas.get(subjectId) ?? 0) + priced.points);
    }
  }
  return { outcomes, accepted, scoreDeltas };
}

/**
 * The refusals that need neither the subject nor the ledger, in the order the batch checks
 * them: what a receiver can answer before the event reaches the store (the pipeline's gateway).
 */
export function decideByPolicy(
  event: ConductEvent,
  context: Pick<BatchContext, "source" | "rulebook" | "receivedAt">,
): Outcome | Rule {
  if (event.occurredAt > context.receivedAt + futureToleranceMilliseconds) {
    return refusal(
      "occurred_in_future",
      `occurredAt ${formatInstant(event.occurredAt)} is more than 5 minutes after the receiver's clock (${formatInstant(context.receivedAt)})`,
    );
  }
  const rule = context.rulebook.ruleByType.get(event.type);
  if (!rule) {
    return refusal("unknown_event_type", `no rule in the current rulebook prices '${event.type}'`);
  }
  if (!sourceMayReport(context.source, event.type)) {
    return refusal(
      "source_not_authorised_for_type",
      `source '${context.source.name}' may report ${context.source.allowedTypes.join(", ") || "no types"}, not '${event.type}'`,
    );
  }
  // Charter item 6: conduct older than its rule's expiry would be an entry that never counts;
  // answering it "accepted" with its points would tell the source something untrue.
  if (event.occurredAt + rule.expiresAfterMilliseconds <= context.receivedAt) {
    return refusal(
      "invalid_field",
      `occurredAt: ${formatInstant(event.occurredAt)} is longer ago than '${event.type}' counts (${Math.round(rule.expiresAfterMilliseconds / days(1))} days, charter item 6): it would never count`,
    );
  }
  return rule;
}

function decide(
  event: ConductEvent,
  context: BatchContext,
): Outcome | { rule: Rule; subjectId: number } {
  const rule = decideByPolicy(event, context);
  if ("kind" in rule) return rule;
  const subjectId = context.subjectIds.get(event.subject);
  if (subjectId === undefined) {
    return refusal("unknown_subject", `no enrolled subject '${event.subject}'`);
  }
  if (context.source.kind === "camera" && event.confidence === undefined) {
    return refusal("invalid_field", "confidence: a camera attribution must state its confidence");
  }
  return { rule, subjectId };
}
