import { benefitChanges } from "../core/benefit.history.js";
import type { Rulebook } from "../core/rulebook.js";
import { ratingHistory } from "../core/score.js";
import type { Instant } from "../core/time.js";
import type { AccessStore, InquiryPosition } from "../store/access.store.js";
import type { LedgerStore, Subject } from "../store/store.js";
import {
  compareFeedOrder,
  deriveNotifications,
  type Notification,
  type NotificationPosition,
  notificationKinds,
  positionOf,
} from "./notifications.js";

export type NotificationPage = Readonly<{
  notifications: Notification[];
  /** The last notification's position when more follow it: the `after` of the next page. */
  next: NotificationPosition | undefined;
}>;

/**
 * One page of the feed: at most `limit` notifications after `after` in the feed's order, or
 * from the newest without it. Derived at `at` with the current rulebook.
 *
 * Inquiries are the one source a partner can grow without bound, so only the page's worth of
 * them is read, from the store's own page after the same position. Everything else is read
 * whole: rating changes and benefits gained or lost are recomputed from every entry, so the
 * derivation needs them all; they grow with the person's own conduct only.
 */
export async function loadNotificationPage(
  store: LedgerStore & AccessStore,
  context: Readonly<{
    subject: Subject;
    rulebook: Rulebook;
    at: Instant;
    after: NotificationPosition | undefined;
    limit: number;
  }>,
): Promise<NotificationPage> {
  const { subject, rulebook, at, after, limit } = context;
  const [entries, appeals, inquiryPage, ratingChanges] = await Promise.all([
    store.entries(subject.id),
    store.appealsOf(subject.id),
    store.inquiries(subject.id, { after: after && inquiriesAfter(after), limit }),
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
  const feed = deriveNotifications({
    entries: entries.filter((entry) => entry.recordedAt <= at),
    ruleDescriptions: new Map(rulebook.rules.map((rule) => [rule.type, rule.description])),
    reviews: reviews.filter((review) => review.at <= at),
    appeals,
    inquiries: inquiryPage.inquiries,
    ratingChanges,
    benefitChanges: benefits,
  });
  const following = after
    ? feed.filter((notification) => compareFeedOrder(after, positionOf(notification)) < 0)
    : feed;
  const notifications = following.slice(0, limit);
  // More follow when this page left some out, or when the store has inquiries past those read.
  const more = following.length > limit || inquiryPage.next !== undefined;
  const last = notifications.at(-1);
  return { notifications, next: more && last ? positionOf(last) : undefined };
}

/** The inquiries that come after a position of the feed, as a position of the inquiry log. */
function inquiriesAfter(position: NotificationPosition): InquiryPosition {
  const { at, kind, key } = position;
  if (kind === "inquiry_made") return { at, id: Number(key) };
  // On equal times inquiries come after the kinds listed before theirs, before those after.
  const sameTimeFollow =
    notificationKinds.indexOf(kind) < notificationKinds.indexOf("inquiry_made");
  // Inquiry ids are positive: id 0 leaves out every inquiry at `at`, the largest id none.
  return { at, id: sameTimeFollow ? Number.MAX_SAFE_INTEGER : 0 };
}
