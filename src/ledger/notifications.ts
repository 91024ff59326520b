import { overdueDecider } from "../core/appeal.js";
import { type BenefitChange, benefitChanges } from "../core/benefit.history.js";
import type { Rulebook } from "../core/rulebook.js";
import { ratingHistory } from "../core/score.js";
import type { Instant } from "../core/time.js";
import type { AccessStore, AppealRecord, InquiryRecord } from "../store/access.store.js";
import type {
  EntryRecord,
  LedgerStore,
  RatingChangeCause,
  RatingChangeRecord,
  Subject,
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
 * One line of a citizen's feed. The feed is derived on reading from what the ledger already
 * holds, so ingestion writes nothing for it; `id` is stable across readings.
 */
export type Notification = Readonly<{
  id: string;
  kind: NotificationKind;
  at: Instant;
  message: string;
  entryId: number | undefined;
  appealId: number | undefined;
  inquiryId: number | undefined;
  benefitId: string | undefined;
}>;

export type NotificationSources = Readonly<{
  entries: readonly EntryRecord[];
  /** The review decisions (`confirmed`, `rejected`) of entries that waited for a reviewer. */
  reviews: readonly TransitionRecord[];
  appeals: readonly AppealRecord[];
  inquiries: readonly InquiryRecord[];
  ratingChanges: readonly RatingChangeRecord[];
  benefitChanges: readonly (BenefitChange & Readonly<{ name: string }>)[];
}>;

/** The feed, newest first; on equal times, in the order of `notificationKinds`. */
export function deriveNotifications(sources: NotificationSources): Notification[] {
  const feed: Notification[] = [];
  const add = (
    kind: NotificationKind,
    key: string | number,
    at: Instant,
    message: string,
    references: Partial<Pick<Notification, "entryId" | "appealId" | "inquiryId" | "benefitId">>,
  ) =>
    feed.push({
      id: `${kind}:${key}`,
      kind,
      at,
      message,
      entryId: references.entryId,
      appealId: references.appealId,
      inquiryId: references.inquiryId,
      benefitId: references.benefitId,
    });
  for (const entry of sources.entries) {
    const kind =
      entry.initialStatus === "pending_review" ? "entry_pending_review" : "entry_recorded";
    add(kind, entry.id, entry.recordedAt, entryMessage(entry), { entryId: entry.id });
  }
  for (const review of sources.reviews) {
    if (review.kind !== "confirmed" && review.kind !== "rejected") continue;
    const effect = review.kind === "confirmed" ? "it now counts" : "it will never count";
    add(
      "entry_reviewed",
      `${review.entryId}:${review.at}`,
      review.at,
      `A reviewer ${review.kind} entry #${review.entryId}: ${effect}. Reason: ${review.reason}`,
      { entryId: review.entryId },
    );
  }
  for (const appeal of sources.appeals) {
    if (appeal.outcome === undefined || appeal.decidedAt === undefined) continue;
    add("appeal_decided", appeal.id, appeal.decidedAt, appealMessage(appeal), {
      appealId: appeal.id,
      entryId: appeal.entryId,
    });
  }
  for (const inquiry of sources.inquiries) {
    add("inquiry_made", inquiry.id, inquiry.at, inquiryMessage(inquiry), {
      inquiryId: inquiry.id,
    });
  }
  for (const change of sources.ratingChanges) {
    if (change.from === undefined) continue;
    add(
      "rating_changed",
      `${change.at}:${change.to}`,
      change.at,
      `Your rating changed from ${change.from} to ${change.to} (score ${change.score}): ${causeWords[change.cause]}.`,
      {},
    );
  }
  for (const change of sources.benefitChanges) {
    const kind = change.eligible ? "benefit_gained" : "benefit_lost";
    const message = change.eligible
      ? `You now qualify for ${change.name}.`
      : `You no longer qualify for ${change.name}.`;
    add(kind, `${change.benefitId}:${change.at}`, change.at, message, {
      benefitId: change.benefitId,
    });
  }
  return feed.sort(
    (a, b) => b.at - a.at || notificationKinds.indexOf(a.kind) - notificationKinds.indexOf(b.kind),
  );
}

const causeWords: Readonly<Record<RatingChangeCause, string>> = {
  enrollment: "you were enrolled",
  ingest: "a new entry",
  expiry: "an entry expired",
  transition: "a review or appeal decision",
  rulebook: "a new rulebook version",
};

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

function entryMessage(entry: EntryRecord): string {
  const what = `${entry.type} (${signed(entry.points)} points), reported by ${entry.source}`;
  if (entry.initialStatus === "pending_review") {
    const confidence = entry.confidence === undefined ? "" : ` with confidence ${entry.confidence}`;
    return `An automatic report${confidence} is waiting for a human reviewer: ${what}. It does not count unless a reviewer confirms it.`;
  }
  if (entry.initialStatus === "capped") {
    return `New entry: ${what}. The rule's cap is reached, so it adds no points.`;
  }
  return `New entry: ${what}. You may appeal it.`;
}

function appealMessage(appeal: AppealRecord): string {
  if (appeal.decidedBy === overdueDecider) {
    return `Your appeal against entry #${appeal.entryId} was not decided in time, so it was decided in your favour: the entry no longer counts.`;
  }
  const effect =
    appeal.outcome === "reversed" ? "the entry no longer counts" : "the entry counts again";
  return `Your appeal against entry #${appeal.entryId} was ${appeal.outcome}: ${effect}. Reason: ${appeal.reason ?? ""}`;
}

function inquiryMessage(inquiry: InquiryRecord): string {
  const asked = `${inquiry.partner} asked for your ${inquiry.disclosure} for the purpose '${inquiry.purpose}'`;
  return inquiry.allowed
    ? `${asked}; it was disclosed.`
    : `${asked}; it was refused (${inquiry.refusal ?? "refused"}), nothing was disclosed.`;
}

/** Reads what the feed is derived from and derives it at `at` with the current rulebook. */
export async function loadNotifications(
  store: LedgerStore & AccessStore,
  context: Readonly<{ subject: Subject; rulebook: Rulebook; at: Instant }>,
): Promise<Notification[]> {
  const { subject, rulebook, at } = context;
  const [entries, appeals, inquiries, ratingChanges] = await Promise.all([
    store.entries(subject.id),
    store.appealsOf(subject.id),
    store.inquiries(subject.id),
    store.ratingChanges(subject.id),
  ]);
  // Only entries that waited for a reviewer can have a review decision: few, read one by one.
  const reviewed = entries.filter((entry) => entry.initialStatus === "pending_review");
  const reviews = (await Promise.all(reviewed.map((entry) => store.transitions(entry.id)))).flat();
  const history = ratingHistory(
    entries,
    { baseScore: rulebook.baseScore, ratingThresholds: rulebook.ratingThresholds },
    { from: Math.min(subject.enrolledAt, at), to: at },
  );
  const benefits = rulebook.benefits.flatMap((benefit) =>
    benefitChanges(history, benefit, at).map((change) => ({ ...change, name: benefit.name })),
  );
  return deriveNotifications({
    entries: entries.filter((entry) => entry.recordedAt <= at),
    reviews: reviews.filter((review) => review.at <= at),
    appeals,
    inquiries,
    ratingChanges,
    benefitChanges: benefits,
  });
}
