import type { OutcomeCounts } from "../core/outcome.js";
import type { Rating } from "../core/rating.js";
import type { Instant } from "../core/time.js";
import type { Auditor, AuditSummary } from "./auditor.js";
import type { DeliveryCounts } from "./delivery.js";
import type { RegionRatings } from "./driver.js";
import type { Population } from "./population.js";
import { referenceRating, referenceRatings } from "./reference.rulebook.js";
import { type SentLog, sentFlags } from "./sent-log.js";
import type { RunCounts, World } from "./world.js";

export type RatingCounts = Record<Rating, number>;

/** Subjects per region and rating at one moment of the run, as the system counted them. */
export type RatingSample = Readonly<{
  day: number;
  at: string;
  byRegion: Readonly<Record<string, RatingCounts>>;
}>;

export type TypeFigures = {
  type: string;
  /** Entries the system made of reports of this type. */
  entries: number;
  /** Of those, counting at the end, and their points. */
  counting: number;
  points: number;
  capped: number;
  waitingForReview: number;
  rejected: number;
  underAppeal: number;
  reversed: number;
  expired: number;
};

/** What became of the camera infractions attributed to the wrong person. */
export type FalseMatchFates = {
  recorded: number;
  caughtAtReview: number;
  reversedOnAppeal: number;
  stillCounting: number;
  expired: number;
  waitingForReview: number;
  underAppeal: number;
  /** People rated C or D at the end who would be B or better without them. */
  subjectsInCOrDBecauseOfThem: number;
};

export type SimulationReport = Readonly<{
  seed: number;
  mode: "in-process" | "http";
  subjects: number;
  days: number;
  regions: readonly string[];
  startAt: string;
  endAt: string;
  faults: boolean;
  falseMatchRate: number;
  seconds: number;
  reportsPerSecond: number;
  ratingsOverTime: readonly RatingSample[];
  finalRatings: RatingCounts;
  eventsByType: readonly TypeFigures[];
  outcomes: OutcomeCounts;
  delivery: DeliveryCounts;
  wronglyAttributed: FalseMatchFates;
  reviews: RunCounts["reviews"] & { waitingAtEnd: number };
  appeals: RunCounts["appeals"] & { decidedAtDeadline: number; openAtEnd: number };
  consents: RunCounts["consents"];
  inquiries: RunCounts["inquiries"];
  crash: RunCounts["crash"];
  audit: AuditSummary;
}>;

export function emptyRatingCounts(): RatingCounts {
  return { AAA: 0, AA: 0, A: 0, B: 0, C: 0, D: 0 };
}

export function ratingSample(
  day: number,
  at: Instant,
  regions: readonly string[],
  rows: RegionRatings,
): RatingSample {
  const byRegion: Record<string, RatingCounts> = {};
  for (const region of regions) byRegion[region] = emptyRatingCounts();
  for (const row of rows) {
    const counts = byRegion[row.region];
    if (counts) counts[row.rating] += row.subjects;
  }
  return { day, at: new Date(at).toISOString(), byRegion };
}

/** Per type and for the wrong attributions: the final state, from the audited reference model. */
export function endFigures(
  auditor: Auditor,
  log: SentLog,
  population: Population,
  endAt: Instant,
): { eventsByType: TypeFigures[]; wronglyAttributed: FalseMatchFates; waitingAtEnd: number } {
  const ledger = auditor.ledger;
  const byType = new Map<string, TypeFigures>();
  const fates: FalseMatchFates = {
    recorded: 0,
    caughtAtReview: 0,
    reversedOnAppeal: 0,
    stillCounting: 0,
    expired: 0,
    waitingForReview: 0,
    underAppeal: 0,
    subjectsInCOrDBecauseOfThem: 0,
  };
  let waitingAtEnd = 0;
  const wrongCounting = (entry: number) =>
    log.has(ledger.key(entry), sentFlags.wronglyAttributed) && ledger.countsAt(entry, endAt);
  for (let entry = 0; entry < ledger.entries; entry++) {
    const type = ledger.type(entry);
    const figures = byType.get(type) ?? emptyType(type);
    byType.set(type, figures);
    const line = ledger.line(entry);
    const counting = ledger.countsAt(entry, endAt);
    const expired = line.status === "effective" && !counting && endAt >= line.expiresAt;
    figures.entries++;
    if (counting) {
      figures.counting++;
      figures.points += line.points;
    }
    if (line.status === "capped") figures.capped++;
    if (line.status === "pending_review") waitingAtEnd++;
    if (line.status === "pending_review") figures.waitingForReview++;
    if (line.status === "rejected") figures.rejected++;
    if (line.status === "disputed") figures.underAppeal++;
    if (line.status === "reversed") figures.reversed++;
    if (expired) figures.expired++;
    if (!log.has(ledger.key(entry), sentFlags.wronglyAttributed)) continue;
    fates.recorded++;
    if (line.status === "rejected") fates.caughtAtReview++;
    if (line.status === "reversed") fates.reversedOnAppeal++;
    if (counting) fates.stillCounting++;
    if (expired) fates.expired++;
    if (line.status === "pending_review") fates.waitingForReview++;
    if (line.status === "disputed") fates.underAppeal++;
  }
  const rulebook = ledger.rulebook;
  for (let subject = 0; subject < population.ids.length; subject++) {
    const rating = referenceRating(ledger.scoreAt(subject, endAt), rulebook);
    if (rating !== "C" && rating !== "D") continue;
    const without = referenceRating(ledger.scoreWithout(subject, endAt, wrongCounting), rulebook);
    if (referenceRatings.indexOf(without) <= referenceRatings.indexOf("B")) {
      fates.subjectsInCOrDBecauseOfThem++;
    }
  }
  const eventsByType = [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
  return { eventsByType, wronglyAttributed: fates, waitingAtEnd };
}

function emptyType(type: string): TypeFigures {
  return {
    type,
    entries: 0,
    counting: 0,
    points: 0,
    capped: 0,
    waitingForReview: 0,
    rejected: 0,
    underAppeal: 0,
    reversed: 0,
    expired: 0,
  };
}

/** The run's report from the world at the end, the samples taken and the audit's verdict. */
export function assembleReport(
  input: Readonly<{
    options: Readonly<{
      seed: number;
      subjects: number;
      days: number;
      endAt: Instant;
      faults: boolean;
      falseMatchRate: number;
    }>;
    mode: SimulationReport["mode"];
    world: World;
    startAt: Instant;
    seconds: number;
    samples: readonly RatingSample[];
    delivery: DeliveryCounts;
    audit: AuditSummary;
  }>,
): SimulationReport {
  const { options, world, samples, seconds } = input;
  const end = endFigures(world.auditor, world.log, world.population, options.endAt);
  const finalRatings = emptyRatingCounts();
  for (const counts of Object.values(samples.at(-1)?.byRegion ?? {})) {
    for (const rating of referenceRatings) finalRatings[rating] += counts[rating];
  }
  return {
    seed: options.seed,
    mode: input.mode,
    subjects: options.subjects,
    days: options.days,
    regions: world.population.regions,
    startAt: new Date(input.startAt).toISOString(),
    endAt: new Date(options.endAt).toISOString(),
    faults: options.faults,
    falseMatchRate: options.falseMatchRate,
    seconds,
    reportsPerSecond: input.delivery.reports / seconds,
    ratingsOverTime: samples,
    finalRatings,
    eventsByType: end.eventsByType,
    outcomes: world.counts.outcomes,
    delivery: input.delivery,
    wronglyAttributed: end.wronglyAttributed,
    reviews: { ...world.counts.reviews, waitingAtEnd: end.waitingAtEnd },
    appeals: {
      ...world.counts.appeals,
      decidedAtDeadline: world.auditor.ledger.settledAtDeadline,
      openAtEnd: world.auditor.ledger.openAppeals(),
    },
    consents: world.counts.consents,
    inquiries: world.counts.inquiries,
    crash: world.counts.crash,
    audit: input.audit,
  };
}
