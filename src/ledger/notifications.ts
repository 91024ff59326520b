import { type AppealOutcome, overdueDecider } from "../core/appeal.js";
import type { BenefitChange } from "../core/benefit.history.js";
import type { Disclosure, Purpose } from "../core/purpose.js";
import type { Rating } from "../core/rating.js";
import type { SourceKind } from "../core/source.js";
import type { Instant } from "../core/time.js";
import type { AppealRecord, InquiryRecord } from "../store/access.store.js";
import type {
  EntryRecord,
  RatingChangeCause,
  RatingChangeRecord,
  TransitionRecord,
} from "../store/store.js";

export const notificationKinds = [
  "entry_recorded",
  "entry_pending_review",
  "entry_reviewed",
  "appeal_decided",
  "inquiry_made",
  "rating_changed",
  "benefit_gained",
  "benefit_lost",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * What a notification tells, by kind, as facts: a client words them in its reader's language
 * (the web app does), while `message` words them in English.
 */
export type NotificationFacts =
  | Readonly<{
      kind: "entry_recorded" | "entry_pending_review";
      ruleType: string;
      /** The rule's description in the current rulebook; undefined when no rule prices the type. */
      ruleDescription: string | undefined;
      points: number;
      source: string;
      sourceKind: SourceKind;
      confidence: number | undefined;
      /** The rule's cap was reached: the entry adds no points. */
      capped: boolean;
    }>
  | Readonly<{ kind: "entry_reviewed"; decision: "confirmed" | "rejected"; reason: string }>
  | Readonly<{
      kind: "appeal_decided";
      /** `reversed`: the appeal was granted; `upheld`: the entry stands. */
      outcome: AppealOutcome;
      /** Decided for the subject because nobody decided it within the deadline. */
      overdue: boolean;
      reason: string | undefined;
    }>
  | Readonly<{
      kind: "inquiry_made";
      partner: string;
      purpose: Purpose;
      disclosure: Disclosure;
      allowed: boolean;
      refusal: string | undefined;
    }>
  | Readonly<{
      kind: "rating_changed";
      from: Rating;
      to: Rating;
      score: number;
      cause: RatingChangeCause;
    }>
  | Readonly<{ kind: "benefit_gained" | "benefit_lost"; benefitName: string }>;

/**
 * One line of a citizen's feed. The feed is derived on reading from what the ledger already
 * holds, so ingestion writes nothing for it; `id` is stable across readings.
 */
export type Notification = Readonly<{
  id: string;
  at: Instant;
  message: string;
  entryId: number | undefined;
  appealId: number | undefined;
  inquiryId: number | undefined;
  benefitId: string | undefined;
}> &
  NotificationFacts;

export type NotificationSources = Readonly<{
  entries: readonly EntryRecord[];
  /** The current rulebook's description of each type it prices. */
  ruleDescriptions: ReadonlyMap<string, string>;
  /** The review decisions (`confirmed`, `rejected`) of entries that waited for a reviewer. */
  reviews: readonly TransitionRecord[];
  appeals: readonly AppealRecord[];
  inquiries: readonly InquiryRecord[];
  ratingChanges: readonly RatingChangeRecord[];
  benefitChanges: readonly (BenefitChange & Readonly<{ name: string }>)[];
}>;

/**
 * Where a notification stands in the feed: its time, its kind, and its key (its `id` after the
 * kind and a colon: an entry's, appeal's or inquiry's id, or what else makes the id unique).
 */
export type NotificationPosition = Readonly<{ at: Instant; kind: NotificationKind; key: string }>;

export function positionOf(notification: Notification): NotificationPosition {
  const { at, kind, id } = notification;
  return { at, kind, key: id.slice(kind.length + 1) };
}

/**
 * The feed's order, total so that a position can page it: newest first; on equal times, in the
 * order of `notificationKinds`; then the larger key first. Keys compare shorter-is-smaller and
 * then by character, which for ids (whole numbers) is their numeric order: inquiries come in the
 * store's order (time, then id, newest first). Negative when `a` comes before `b`.
 */
export function compareFeedOrder(a: NotificationPosition, b: NotificationPosition): number {
  return (
    b.at - a.at ||
    notificationKinds.indexOf(a.kind) - notificationKinds.indexOf(b.kind) ||
    b.key.length - a.key.length ||
    (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)
  );
}

/** The feed, in `compareFeedOrder`: newest first. */
export function deriveNotifications(sources: NotificationSources): Notification[] {
  const feed: Notification[] = [];
  const add = (
    key: string | number,
    at: Instant,
    facts: NotificationFacts,
    references: Partial<Pick<Notification, "entryId" | "appealId" | "inquiryId" | "benefitId">>,
  ) =>
    feed.push({
      id: `${facts.kind}:${key}`,
      at,
      message: messageOf(facts, references),
      entryId: references.entryId,
      appealId: references.appealId,
      inquiryId: references.inquiryId,
      benefitId: references.benefitId,
      ...facts,
    });
  for (const entry of sources.entries) {
    add(
      entry.id,
      entry.recordedAt,
      {
        kind: entry.initialStatus === "pending_review" ? "entry_pending_review" : "entry_recorded",
        ruleType: entry.type,
        ruleDescription: sources.ruleDescriptions.get(entry.type),
        points: entry.points,
        source: entry.source,
        sourceKind: entry.sourceKind,
        confidence: entry.confidence,
        capped: entry.initialStatus === "capped",
      },
      { entryId: entry.id },
    );
  }
  for (const review of sources.reviews) {
    if (review.kind !== "confirmed" && review.kind !== "rejected") continue;
    add(
      `${review.entryId}:${review.at}`,
      review.at,
      { kind: "entry_reviewed", decision: review.kind, reason: review.reason },
      { entryId: review.entryId },
    );
  }
  for (const appeal of sources.appeals) {
    if (appeal.outcome === undefined || appeal.decidedAt === undefined) continue;
    add(
      appeal.id,
      appeal.decidedAt,
      {
        kind: "appeal_decided",
        outcome: appeal.outcome,
        overdue: appeal.decidedBy === overdueDecider,
        reason: appeal.reason,
      },
      { appealId: appeal.id, entryId: appeal.entryId },
    );
  }
  for (const inquiry of sources.inquiries) {
    add(
      inquiry.id,
      inquiry.at,
      {
        kind: "inquiry_made",
        partner: inquiry.partner,
        purpose: inquiry.purpose,
        disclosure: inquiry.disclosure,
        allowed: inquiry.allowed,
        refusal: inquiry.refusal,
      },
      { inquiryId: inquiry.id },
    );
  }
  for (const change of sources.ratingChanges) {
    if (change.from === undefined) continue;
    add(
      `${change.at}:${change.to}`,
      change.at,
      {
        kind: "rating_changed",
        from: change.from,
        to: change.to,
        score: change.score,
        cause: change.cause,
      },
      {},
    );
  }
  for (const change of sources.benefitChanges) {
    add(
      `${change.benefitId}:${change.at}`,
      change.at,
      { kind: change.eligible ? "benefit_gained" : "benefit_lost", benefitName: change.name },
      { benefitId: change.benefitId },
    );
  }
  return feed.sort((a, b) => compareFeedOrder(positionOf(a), positionOf(b)));
}

const causeWords: Readonly<Record<RatingChangeCause, string>> = {
  enrollment: "you were enrolled",
  ingest: "a new entry",
  expiry: "an entry expired",
  transition: "an entry was reviewed or appealed, or an appeal was decided",
  rulebook: "a new rulebook version",
};

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

/** The notification in English, for API clients that show text as it comes. */
function messageOf(
  facts: NotificationFacts,
  references: Readonly<{ entryId?: number | undefined }>,
): string {
  const entry = `entry #${references.entryId}`;
  switch (facts.kind) {
    case "entry_recorded":
    case "entry_pending_review": {
      // A rule's description is a sentence; here it runs on into the notification's own.
      const rule = (facts.ruleDescription ?? facts.ruleType).replace(/\.\s*$/, "");
      const what = `${rule} (${signed(facts.points)} points), reported by ${facts.source}`;
      if (facts.kind === "entry_pending_review") {
        const confidence =
          facts.confidence === undefined ? "" : ` with confidence ${facts.confidence}`;
        return `An automatic report${confidence} is waiting for a human reviewer: ${what}. It does not count unless a reviewer confirms it.`;
      }
      if (facts.capped)
        return `New entry: ${what}. The rule's cap is reached, so it adds no points.`;
      return `New entry: ${what}. You may appeal it.`;
    }
    case "entry_reviewed": {
      const effect = facts.decision === "confirmed" ? "it now counts" : "it will never count";
      return `A reviewer ${facts.decision} ${entry}: ${effect}. Reason: ${facts.reason}`;
    }
    case "appeal_decided":
      if (facts.overdue) {
        return `Your appeal against ${entry} was not decided in time, so it was decided in your favour: the entry no longer counts.`;
      }
      return facts.outcome === "reversed"
        ? `Your appeal against ${entry} was granted: the entry is reversed and no longer counts. Reason: ${facts.reason ?? ""}`
        : `Your appeal against ${entry} was refused: the entry is upheld and stands as it did before the appeal (counting, or still waiting for review). Reason: ${facts.reason ?? ""}`;
    case "inquiry_made": {
      const asked = `${facts.partner} asked for your ${facts.disclosure} for the purpose '${facts.purpose}'`;
      return facts.allowed
        ? `${asked}; it was disclosed.`
        : `${asked}; it was refused (${facts.refusal ?? "refused"}), nothing was disclosed.`;
    }
    case "rating_changed":
      return `Your rating changed from ${facts.from} to ${facts.to} (score ${facts.score}): ${causeWords[facts.cause]}.`;
    case "benefit_gained":
      return `You now qualify for ${facts.benefitName}.`;
    case "benefit_lost":
      return `You no longer qualify for ${facts.benefitName}.`;
  }
}
