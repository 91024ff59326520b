import { days as daysOf, type Instant } from "../core/time.js";
import { citizensAct, planAppeals } from "./citizens.js";
import { type ConductOptions, generateDay, type Report } from "./conduct.js";
import type { Delivery, DeliverySchedule } from "./delivery.js";
import type { IngestAnswer } from "./driver.js";
import { partnersAsk } from "./inquiries.js";
import { reviewersWork, reviewersWorkQueues } from "./reviewers.js";
import type { Showcase } from "./showcase.js";
import type { World } from "./world.js";

/** Reports a day needs before the crash fault falls on it: enough for a run to crash mid-way. */
const crashReportsMin = 12;
const hour = 3_600_000;
/** When, within a simulated day, each part of the city acts. */
export const phase = {
  deliveries: 20 * hour,
  citizens: 21 * hour,
  reviewers: 22 * hour,
  partners: 23 * hour,
  statistics: 23.5 * hour,
};

/** What stays the same from day to day of one run. */
export type DayPlan = Readonly<{
  days: number;
  startAt: Instant;
  conduct: ConductOptions;
  schedule: DeliverySchedule;
  showcase: Showcase | undefined;
  /** Reviewer decisions per working day. */
  capacity: number;
  /** Still to fall on a day past the middle of the run. */
  crash: { pending: boolean };
}>;

/**
 * One simulated day: overdue appeals are settled at midnight, the day's conduct is reported in
 * the evening (through a crashing ingesting process once, with faults on), then people act,
 * reviewers work their queues (Monday to Friday) and partners ask.
 */
export async function simulateDay(world: World, plan: DayPlan, day: number): Promise<void> {
  const dayStart = plan.startAt + daysOf(day);
  const { driver, auditor } = world;
  auditor.settled(dayStart, await driver.settleOverdueAppeals(dayStart));
  plan.schedule.schedule(generateDay(plan.conduct, dayStart, world.random.conduct), day);
  const deliveries = plan.schedule.take(day);
  for (const report of plan.showcase?.reportsOf(world, day, dayStart) ?? []) {
    deliveries.push({ source: report.source, reports: [report] });
  }
  const deliveredAt = dayStart + phase.deliveries;
  const reportsToday = deliveries.reduce((sum, delivery) => sum + delivery.reports.length, 0);
  const crashToday =
    plan.crash.pending && day >= Math.floor(plan.days / 2) && reportsToday >= crashReportsMin;
  if (crashToday) {
    plan.crash.pending = false;
    await deliverThroughCrash(world, deliveries, { day, at: deliveredAt });
  } else {
    for (const delivery of deliveries) await deliver(world, delivery, { day, at: deliveredAt });
  }
  await citizensAct(world, day, dayStart + phase.citizens);
  await plan.showcase?.citizenActs(world, day, dayStart + phase.citizens);
  const reviewersAt = dayStart + phase.reviewers;
  if (reviewersWork(dayStart)) {
    auditor.settled(reviewersAt, await driver.settleOverdueAppeals(reviewersAt));
    await reviewersWorkQueues(world, plan.capacity, reviewersAt);
  }
  await partnersAsk(world, day, dayStart + phase.partners);
  await plan.showcase?.partnerActs(world, day, dayStart + phase.partners);
}

async function deliver(
  world: World,
  delivery: Delivery,
  { day, at }: Readonly<{ day: number; at: Instant }>,
): Promise<void> {
  const events = delivery.reports.map((report) => report.event);
  const answers = await world.driver.ingest(delivery.source, events, at);
  world.auditor.ingested(delivery.source, delivery.reports, at, answers);
  afterIngest(world, day, delivery.reports, answers);
}

async function deliverThroughCrash(
  world: World,
  deliveries: readonly Delivery[],
  crash: Readonly<{ day: number; at: Instant }>,
): Promise<void> {
  const answer = await world.driver.ingestThroughCrash(deliveries, crash.at);
  const { committed, answers } = world.auditor.ingestedThroughCrash(deliveries, crash.at, answer);
  world.counts.crash = {
    day: crash.day,
    answersBeforeCrash: answer.beforeCrash,
    committedBeforeCrash: committed,
  };
  let offset = 0;
  for (const delivery of deliveries) {
    const ofDelivery = answers.slice(offset, offset + delivery.reports.length);
    offset += delivery.reports.length;
    afterIngest(world, crash.day, delivery.reports, ofDelivery);
  }
}

/** Counts the answers; people see their new entries and plan their appeals from that day. */
function afterIngest(
  world: World,
  day: number,
  reports: readonly Report[],
  answers: readonly IngestAnswer[],
) {
  for (const answer of answers) world.counts.outcomes[answer.kind]++;
  planAppeals(world, day, reports, answers);
}
