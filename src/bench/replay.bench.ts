import { replayScores, replayState } from "../core/replay.js";
import type { Rulebook } from "../core/rulebook.js";
import { days } from "../core/time.js";
import { seededRandom } from "./random.js";
import { type BenchResult, medianSeconds } from "./report.js";

export type ReplayBenchOptions = Readonly<{ events: number; subjects: number; runs: number }>;

/**
 * Pricing and scoring a history in memory with the core (caps and expiry on), beside a bare loop
 * that adds each event's points into a typed array: the machine's limit for this work.
 */
export function benchReplay(rulebook: Rulebook, options: ReplayBenchOptions): BenchResult {
  const random = seededRandom(2);
  const { events, subjects } = options;
  const start = Date.UTC(2025, 0, 1);
  const span = days(730);
  const subjectIndex = new Int32Array(events);
  const ruleIndex = new Int32Array(events);
  const occurredAt = new Float64Array(events);
  const state = new Uint8Array(events);
  // Grouped by subject and in time order within each, as a store reads its subject index.
  const perSubject = events / subjects;
  for (let index = 0; index < events; index++) {
    const subject = Math.min(subjects - 1, Math.floor(index / perSubject));
    const first = index === 0 || subjectIndex[index - 1] !== subject;
    subjectIndex[index] = subject;
    ruleIndex[index] = Math.floor(random() * rulebook.rules.length);
    const previous = first ? start : (occurredAt[index - 1] as number);
    occurredAt[index] = previous + Math.floor(random() * 2 * (span / perSubject));
    state[index] = random() < 0.02 ? replayState.held : replayState.normal;
  }
  const at = start + span;
  const columns = { length: events, subjectIndex, ruleIndex, occurredAt, state };
  const points = new Int32Array(rulebook.rules.map((rule) => rule.points));

  let checksum = 0;
  const replaySeconds = medianSeconds(options.runs, () => {
    checksum += replayScores(columns, rulebook, subjects, at).scores[0] as number;
  });
  const bareSeconds = bareSumSeconds(columns, points, subjects, options.runs);
  if (Number.isNaN(checksum))
    throw new Error("unreachable: keeps the loops from being optimised away");
  const figure = events / replaySeconds;
  return {
    name: `replay: price and score ${events.toLocaleString("en-US")} events, ${subjects.toLocaleString("en-US")} subjects, in memory`,
    figure,
    unit: "events/s",
    baseline: events / bareSeconds,
    baselineName: "bare typed-array sum",
    goal: ">= 10,000,000 events/s",
    met: figure >= 10_000_000,
  };
}

/**
 * The machine's limit for this work, the baseline of the replay benchmarks: the median seconds
 * of a bare loop adding each event's points into a typed array of scores.
 */
export function bareSumSeconds(
  columns: Readonly<{ length: number; subjectIndex: Int32Array; ruleIndex: Int32Array }>,
  points: Int32Array,
  subjects: number,
  runs: number,
): number {
  const { length, subjectIndex, ruleIndex } = columns;
  let checksum = 0;
  const seconds = medianSeconds(runs, () => {
    const scores = new Int32Array(subjects);
    for (let index = 0; index < length; index++) {
      const subject = subjectIndex[index] as number;
      scores[subject] =
        (scores[subject] as number) + (points[ruleIndex[index] as number] as number);
    }
    checksum += scores[0] as number;
  });
  if (Number.isNaN(checksum))
    throw new Error("unreachable: keeps the loop from being optimised away");
  return seconds;
}
