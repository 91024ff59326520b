import type { Instant } from "../core/time.js";
import type { AppealItem, QueueItem } from "./driver.js";
import { sentFlags, seqOfEventId } from "./sent-log.js";
import type { World } from "./world.js";

/** The city's review team, as decisions and keys name it. */
export const reviewerName = "city-reviewers";

/** Decisions the reviewers make per working day, per thousand subjects, by default. */
export const reviewsPerThousandPerDay = 2.5;

/** How often reviewers get it right, seeing the evidence. */
export const reviewerAccuracy = {
  /** A wrong attribution waiting for review is rejected. */
  catchWrongAttribution: 0.85,
  /** A right attribution waiting for review is confirmed. */
  confirmRightAttribution: 0.97,
  /** An appeal of a wrong attribution is reversed. */
  reverseWrongAttribution: 0.9,
  /** An appeal of a right entry is upheld. */
  upholdRightEntry: 0.85,
} as const;

const reasons = {
  reject: "The person in the evidence is not the subject: attribution rejected.",
  confirm: "Evidence matches the subject: attribution confirmed.",
  reverse: "The appeal is well founded: the entry is reversed.",
  uphold: "The evidence supports the entry: the appeal is not upheld.",
};

/** Reviewers work Monday to Friday. */
export function reviewersWork(at: Instant): boolean {
  const weekday = new Date(at).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The reviewers' day, with a capacity: half for the open appeals (earliest deadline first), the
 * rest for attributions waiting for review (oldest first), then appeals again with what is left.
 * Overdue appeals were decided for the subjects before they start.
 */
export async function reviewersWorkQueues(world: World, capacity: number, at: Instant) {
  let remaining = capacity;
  remaining -= await decideAppeals(world, Math.ceil(capacity / 2), at);
  if (remaining > 0) {
    const waiting = ours(world, await world.driver.pendingReviews(fetchLimit(remaining), at));
    for (const item of waiting.slice(0, remaining)) await review(world, item, at);
    remaining -= Math.min(waiting.length, remaining);
  }
  if (remaining > 0) await decideAppeals(world, remaining, at);
}

async function decideAppeals(world: World, budget: number, at: Instant): Promise<number> {
  if (budget <= 0) return 0;
  const appeals: AppealItem[] = ours(world, await world.driver.openAppeals(fetchLimit(budget), at));
  for (const appeal of appeals.slice(0, budget)) {
    const wrong = truthOf(world, appeal, sentFlags.wronglyAttributed);
    const scripted = truthOf(world, appeal, sentFlags.scripted);
    const random = world.random.reviewers;
    const reverse =
      scripted ||
      (wrong
        ? random.chance(reviewerAccuracy.reverseWrongAttribution)
        : !random.chance(reviewerAccuracy.upholdRightEntry));
    const outcome = reverse ? "reversed" : "upheld";
    const reason = reverse ? reasons.reverse : reasons.uphold;
    const answer = await world.driver.decideAppeal(appeal.appealId, { outcome, reason }, at);
    world.auditor.appealDecided(appeal.appealId, outcome, answer);
    if (!answer.ok) world.counts.appeals.refusedDecisions++;
    else if (reverse) world.counts.appeals.reversed++;
    else world.counts.appeals.upheld++;
  }
  return Math.min(appeals.length, budget);
}

async function review(world: World, item: QueueItem, at: Instant): Promise<void> {
  const wrong = truthOf(world, item, sentFlags.wronglyAttributed);
  const random = world.random.reviewers;
  const confirm = wrong
    ? !random.chance(reviewerAccuracy.catchWrongAttribution)
    : random.chance(reviewerAccuracy.confirmRightAttribution);
  const reason = confirm ? reasons.confirm : reasons.reject;
  const answer = await world.driver.review(item.entryId, { confirm, reason }, at);
  world.auditor.reviewed(item.entryId, confirm, answer);
  if (!answer.ok) world.counts.reviews.refused++;
  else if (confirm) world.counts.reviews.confirmed++;
  else world.counts.reviews.rejected++;
}

/**
 * A server may hold other people's queues (another run, the demo): reviewers of the simulated
 * city decide only its own subjects' entries, so they fetch more than they can decide.
 */
function ours<Item extends QueueItem>(world: World, items: readonly Item[]): Item[] {
  return items.filter((item) => world.population.indexOf(item.subjectId) !== undefined);
}

function fetchLimit(budget: number): number {
  return Math.min(1_000, budget * 4);
}

/** The ground truth behind a queued entry, found from its event id. */
function truthOf(world: World, item: QueueItem, flag: number): boolean {
  const seq = seqOfEventId(item.eventId);
  return seq !== undefined && seq < world.log.size && world.log.has(seq, flag);
}
