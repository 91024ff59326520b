import type { Instant } from "../core/time.js";
import { averageRatesPerDay, personas, ratePerDay } from "./personas.js";
import type { Population } from "./population.js";
import type { SeededRandom } from "./random.js";
import { eventIdOf, type SentLog, sentFlags } from "./sent-log.js";
import {
  cameraSourceName,
  evidenceText,
  reporterOf,
  type SimSource,
  simSources,
  sourceByName,
} from "./sources.js";

/** Conduct happens in the first 20 hours of a simulated day; deliveries come after. */
export const conductHoursPerDay = 20;

/** A source's mistakes, when faults are on: a report about nobody enrolled, or a wrong type. */
export const misdirectedShare = 0.002;

/** The event types the simulated people are reported for. */
export const simulatedTypes: readonly string[] = Object.keys(averageRatesPerDay);

/** One report on its way to the system: who sends it, and the event as the source writes it. */
export type Report = Readonly<{
  seq: number;
  source: string;
  occurredAt: Instant;
  event: Readonly<Record<string, unknown>>;
}>;

export type ConductOptions = Readonly<{
  population: Population;
  log: SentLog;
  falseMatchRate: number;
  faults: boolean;
  /** Subjects whose conduct is scripted (the demo's citizen): never drawn at random. */
  scripted: ReadonlySet<number>;
  /** Prefix of unenrolled subjects' ids, the population's own prefix. */
  idPrefix: string;
}>;

/**
 * The day's conduct, as the sources report it: each person of each persona is reported for each
 * type with the persona's daily rate. Camera reports are attributed to the wrong person with the
 * false-match rate, with lower confidences than right ones, so that some fall below the review
 * threshold and some do not.
 */
export function generateDay(
  options: ConductOptions,
  dayStart: Instant,
  random: SeededRandom,
): Report[] {
  const { population } = options;
  const reports: Report[] = [];
  personas.forEach((persona, personaIndex) => {
    const members = population.byPersona[personaIndex] as Int32Array;
    for (const type of simulatedTypes) {
      const rate = ratePerDay(persona, type);
      for (
        let member = random.skip(rate);
        member < members.length;
        member += 1 + random.skip(rate)
      ) {
        const subject = members[member] as number;
        if (options.scripted.has(subject)) continue;
        const occurredAt = dayStart + random.below(conductHoursPerDay * 3_600) * 1_000;
        reports.push(conductReport(options, { subject, type, occurredAt }, random));
      }
    }
  });
  return reports.sort((left, right) => left.occurredAt - right.occurredAt || left.seq - right.seq);
}

export type Conduct = Readonly<{ subject: number; type: string; occurredAt: Instant }>;

function conductReport(options: ConductOptions, conduct: Conduct, random: SeededRandom): Report {
  const source = reporterOf(conduct.type, random);
  if (!source) throw new Error(`nobody reports '${conduct.type}'`);
  if (source === cameraSourceName) {
    const wrong = random.chance(options.falseMatchRate);
    const subject = wrong ? someoneElse(options, conduct.subject, random) : conduct.subject;
    const confidence = wrong ? 0.6 + 0.38 * random.next() : 0.82 + 0.179 * Math.sqrt(random.next());
    return makeReport(options, {
      ...conduct,
      subject,
      source,
      confidence: Math.round(confidence * 1_000) / 1_000,
      flags: wrong ? sentFlags.wronglyAttributed : 0,
    });
  }
  if (options.faults && random.chance(misdirectedShare))
    return misdirected(options, conduct, random);
  return makeReport(options, { ...conduct, source, confidence: undefined, flags: 0 });
}

/** A camera's false match: a random other person, never a scripted one. */
function someoneElse(options: ConductOptions, actual: number, random: SeededRandom): number {
  const count = options.population.ids.length;
  if (count < 2) return actual;
  for (;;) {
    const candidate = random.below(count);
    if (candidate !== actual && !options.scripted.has(candidate)) return candidate;
  }
}

/** A report the system must refuse: about nobody enrolled, or from a source not allowed it. */
function misdirected(options: ConductOptions, conduct: Conduct, random: SeededRandom): Report {
  const flags = sentFlags.misdirected;
  if (random.chance(0.5)) {
    // Cameras state a confidence; a misdirected report comes from a source that does not.
    const reporter = reporterOf(conduct.type, random) ?? "traffic-police";
    const source = reporter === cameraSourceName ? "traffic-police" : reporter;
    return makeReport(options, { ...conduct, subject: -1, source, confidence: undefined, flags });
  }
  const allowed = (source: SimSource) =>
    source.allowedTypes.some(
      (pattern) =>
        pattern === conduct.type ||
        (pattern.endsWith(".*") && conduct.type.startsWith(pattern.slice(0, -1))),
    );
  const wrongSources = simSources.filter((source) => !allowed(source) && source.kind !== "camera");
  const source = random.pick(wrongSources).name;
  return makeReport(options, { ...conduct, source, confidence: undefined, flags });
}

export type Made = Conduct &
  Readonly<{ source: string; confidence: number | undefined; flags: number }>;

/** Records a report in the sent log and writes the event as its source sends it. */
export function makeReport(
  options: Pick<ConductOptions, "population" | "log" | "idPrefix">,
  made: Made,
): Report {
  const { log, population } = options;
  const typeIndex = log.types.indexOf(made.type);
  const seq = log.add({ subject: made.subject, type: typeIndex, flags: made.flags });
  const { source } = made;
  const subjectId =
    made.subject < 0 ? `${options.idPrefix}x-${seq}` : (population.ids[made.subject] as string);
  const code = sourceByName(source).code;
  const event: Record<string, unknown> = {
    id: eventIdOf(seq),
    subject: subjectId,
    type: made.type,
    occurredAt: new Date(made.occurredAt).toISOString(),
    evidence: { description: evidenceText(made.type), reference: `${code}-${seq}` },
  };
  if (made.confidence !== undefined) event.confidence = made.confidence;
  return { seq, source, occurredAt: made.occurredAt, event };
}
