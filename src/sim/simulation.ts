import { emptyOutcomeCounts } from "../core/outcome.js";
import { days as daysOf, type Instant } from "../core/time.js";
import { Auditor } from "./auditor.js";
import { simulatedTypes } from "./conduct.js";
import { type DayPlan, phase, simulateDay } from "./day.js";
import { DeliverySchedule } from "./delivery.js";
import type { CityDriver } from "./driver.js";
import { simPartners } from "./partners.js";
import { createPopulation, subjectsMax } from "./population.js";
import { SeededRandom } from "./random.js";
import {
  assembleReport,
  type RatingSample,
  ratingSample,
  type SimulationReport,
} from "./report.js";
import { reviewerName, reviewsPerThousandPerDay } from "./reviewers.js";
import { SentLog } from "./sent-log.js";
import { Showcase, showcaseSubject } from "./showcase.js";
import { simSources } from "./sources.js";
import { Agenda, type RunCounts, type World } from "./world.js";

export const daysMax = 3_650;
export const falseMatchRateDefault = 0.05;
/** Rating distributions measured per run by default, fewer in big cities (each reads every score). */
export const samplesMax = 15;
const sampledSubjectsBudget = 1_500_000;

export type SimulationOptions = Readonly<{
  subjects: number;
  days: number;
  regions: number;
  seed: number;
  /** The run's last instant; the first day starts `days` days before. */
  endAt: Instant;
  falseMatchRate?: number;
  /** Duplicate, late, reordered and misdirected reports, and (unless `crash` says no) a crash. */
  faults?: boolean;
  crash?: boolean;
  /** The demo's scripted citizen (the first subject). */
  showcase?: boolean;
  reviewsPerThousandPerDay?: number;
  /** About how many times the rating distribution is measured (each reads every score). */
  samples?: number;
  /** Compare every entry at the end too, not only every score (when the driver can read them). */
  auditEntries?: boolean;
  /** Prefix of subject ids (runs against one server keep apart). */
  idPrefix?: string;
  onProgress?: (progress: Readonly<{ day: number; days: number; reports: number }>) => void;
}>;

export type SimulationResult = Readonly<{ report: SimulationReport; world: World }>;

/**
 * Runs the simulated city day by day against the system through `driver`, with the independent
 * auditor following every answer, and reports what happened. The audit's verdict is in
 * `report.audit`: a run whose audit fails is a failed run.
 */
export async function runSimulation(
  driver: CityDriver,
  options: SimulationOptions,
): Promise<SimulationResult> {
  checkOptions(options);
  const started = performance.now();
  const { days, endAt } = options;
  const startAt = endAt - daysOf(days);
  const world = await openWorld(driver, options, startAt);
  const faults = options.faults ?? false;
  const schedule = new DeliverySchedule({ faults, days }, world.random.delivery);
  const reviewsPerThousand = options.reviewsPerThousandPerDay ?? reviewsPerThousandPerDay;
  const plan: DayPlan = {
    days,
    startAt,
    conduct: {
      population: world.population,
      log: world.log,
      falseMatchRate: options.falseMatchRate ?? falseMatchRateDefault,
      faults,
      scripted: world.scripted,
      idPrefix: options.idPrefix ?? "",
    },
    schedule,
    showcase: options.showcase ? new Showcase(days) : undefined,
    capacity: Math.max(1, Math.round((options.subjects * reviewsPerThousand) / 1_000)),
    crash: { pending: (options.crash ?? faults) && days >= 2 },
  };
  const samples: RatingSample[] = [await sample(world, -1, startAt)];
  const measurements = options.samples ?? samplesDefaultFor(options.subjects);
  const sampleEvery = Math.max(1, Math.ceil(days / measurements));
  for (let day = 0; day < days; day++) {
    await simulateDay(world, plan, day);
    if (day % sampleEvery === sampleEvery - 1 && day < days - 1) {
      samples.push(await sample(world, day, startAt + daysOf(day) + phase.statistics));
    }
    options.onProgress?.({ day: day + 1, days, reports: world.log.size });
  }
  world.auditor.settled(endAt, await driver.settleOverdueAppeals(endAt));
  samples.push(await sample(world, days, endAt));
  const ids = world.population.ids;
  const entries = options.auditEntries ?? true;
  const audit = await world.auditor.compareFinal(driver.finalScores(ids, endAt, { entries }));
  const report = assembleReport({
    options: { ...options, faults, falseMatchRate: plan.conduct.falseMatchRate },
    mode: driver.mode,
    world,
    startAt,
    seconds: (performance.now() - started) / 1_000,
    samples,
    delivery: schedule.counts,
    audit,
  });
  return { report, world };
}

async function openWorld(
  driver: CityDriver,
  options: SimulationOptions,
  startAt: Instant,
): Promise<World> {
  const random = new SeededRandom(options.seed);
  const population = createPopulation(
    { subjects: options.subjects, regions: options.regions, idPrefix: options.idPrefix },
    random.fork("population"),
  );
  await driver.setUp({
    sources: simSources,
    partners: simPartners,
    subjects: population.ids.map((id, index) => ({
      id,
      region: population.regions[population.region[index] as number] as string,
    })),
    at: startAt,
    reviewer: reviewerName,
  });
  const auditor = new Auditor({
    rulebookText: await driver.rulebookText(),
    subjectIds: population.ids,
    indexOf: population.indexOf,
    regionOf: (subject) => population.regions[population.region[subject] as number] as string,
    sources: simSources,
    partners: simPartners,
    enrolledAt: driver.mode === "http" ? Date.now() : startAt,
  });
  return {
    driver,
    auditor,
    log: new SentLog(simulatedTypes),
    population,
    agenda: new Agenda(),
    counts: emptyCounts(),
    scripted: new Set(options.showcase ? [showcaseSubject] : []),
    random: {
      conduct: random.fork("conduct"),
      delivery: random.fork("delivery"),
      citizens: random.fork("citizens"),
      reviewers: random.fork("reviewers"),
      partners: random.fork("partners"),
    },
  };
}

async function sample(world: World, day: number, at: Instant): Promise<RatingSample> {
  const { at: measuredAt, rows } = await world.driver.ratingsByRegion(at);
  world.auditor.ratingsChecked(measuredAt, rows);
  return ratingSample(day, measuredAt, world.population.regions, rows);
}

function emptyCounts(): RunCounts {
  return {
    outcomes: emptyOutcomeCounts(),
    reviews: { confirmed: 0, rejected: 0, refused: 0 },
    appeals: { opened: 0, refused: 0, upheld: 0, reversed: 0, refusedDecisions: 0 },
    consents: { granted: 0, refused: 0, revoked: 0 },
    inquiries: { allowed: 0, refused: 0, byAuthority: 0 },
    crash: undefined,
  };
}

/** 15 measurements up to 100,000 subjects; fewer above, down to 4 from 375,000 on. */
export function samplesDefaultFor(subjects: number): number {
  return Math.max(4, Math.min(samplesMax, Math.round(sampledSubjectsBudget / subjects)));
}

function checkOptions(options: SimulationOptions): void {
  const { subjects, days, regions, falseMatchRate = falseMatchRateDefault } = options;
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > subjectsMax) {
    throw new Error(`subjects must be from 1 to ${subjectsMax}`);
  }
  if (!Number.isInteger(days) || days < 1 || days > daysMax) {
    throw new Error(`days must be from 1 to ${daysMax}`);
  }
  if (!Number.isInteger(regions) || regions < 1) throw new Error("regions must be at least 1");
  if (!(falseMatchRate >= 0 && falseMatchRate <= 1)) {
    throw new Error("the false-match rate is a share from 0 to 1");
  }
  if (!Number.isFinite(options.endAt)) throw new Error("the run needs an end time");
}
