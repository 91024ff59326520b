import type { Rulebook } from "./rulebook.js";
import type { Instant } from "./time.js";

/** How a replayed event stands apart from its pricing, taken from the live ledger. */
export const replayState = {
  /** Priced normally: counts unless capped. */
  normal: 0,
  /** Takes cap room but does not count (pending review, or under an open appeal). */
  held: 1,
  /** Rejected or reversed: as if never reported. */
  void: 2,
} as const;

/**
 * A history in columns, grouped by subject (ascending index) and sorted by occurrence time within
 * each subject, with subjects and rules as dense indexes. Caps and scores are per subject, so
 * this order keeps a subject's whole cap state in a few cache lines (a store reads it this way
 * from its subject index).
 */
export type ReplayColumns = Readonly<{
  length: number;
  subjectIndex: Int32Array;
  /** Index into `rulebook.rules`; -1 when the rulebook has no rule for the event's type. */
  ruleIndex: Int32Array;
  occurredAt: Float64Array;
  state: Uint8Array;
}>;

export type ReplayResult = Readonly<{
  /** Score of each subject at `at`. */
  scores: Int32Array;
  priced: number;
  capped: number;
  unpriced: number;
}>;

/**
 * Prices and scores a whole history in one pass: the policy lab's "what would every score be
 * under this rulebook". Equal to pricing each subject's events one by one with `priceEvent` in
 * occurrence order (a property test holds it to that), but with caps kept as ring buffers of
 * recent award times instead of lists: within one rulebook every award of a type is worth the
 * same, so a cap of C allows floor(C / points) awards per window.
 *
 * When `awardedPoints` is given (one place per event), each event's points counting at `at` are
 * written there, 0 for the rest: what the policy lab attributes to each rule.
 */
export function replayScores(
  columns: ReplayColumns,
  rulebook: Rulebook,
  subjectCount: number,
  at: Instant,
  awardedPoints?: Int32Array,
): ReplayResult {
  const table = replayRuleTable(rulebook);
  const rings = new CapRings(table.capAwardsMax);
  const scores = new Int32Array(subjectCount).fill(rulebook.baseScore);
  let capped = 0;
  let unpriced = 0;
  let previousSubject = -1;
  let previousTime = Number.NEGATIVE_INFINITY;
  const { subjectIndex, ruleIndex, occurredAt, state, length } = columns;
  if (awardedPoints) {
    if (awardedPoints.length < length)
      throw new Error("awardedPoints has fewer places than events");
    awardedPoints.fill(0, 0, length);
  }
  for (let index = 0; index < length; index++) {
    const subject = subjectIndex[index] as number;
    const time = occurredAt[index] as number;
    if (subject !== previousSubject) {
      if (subject < previousSubject)
        throw new Error(`replay input is not grouped by subject at ${index}`);
      if (subject >= subjectCount)
        throw new Error(`subject index ${subject} is out of range at ${index}`);
      rings.clear();
      previousSubject = subject;
    } else if (time < previousTime) {
      throw new Error(`replay input is not sorted by time at ${index}`);
    }
    previousTime = time;
    const rule = ruleIndex[index] as number;
    if (rule >= table.points.length)
      throw new Error(`rule index ${rule} is out of range at ${index}`);
    const eventState = state[index] as number;
    if (rule < 0 || eventState === replayState.void) {
      unpriced++;
      continue;
    }
    const ordinal = table.capOrdinal[rule] as number;
    if (ordinal >= 0 && !rings.admit(ordinal, time, table.capWindow[ordinal] as number)) {
      capped++;
      continue;
    }
    if (
      eventState === replayState.normal &&
      time <= at &&
      at < time + (table.expiry[rule] as number)
    ) {
      const points = table.points[rule] as number;
      scores[subject] = (scores[subject] as number) + points;
      if (awardedPoints) awardedPoints[index] = points;
    }
  }
  return { scores, priced: length - unpriced, capped, unpriced };
}

export type ReplayRuleTable = ReturnType<typeof replayRuleTable>;

/** The rulebook as typed arrays indexed by rule, and its caps numbered 0, 1, 2 ... */
export function replayRuleTable(rulebook: Rulebook) {
  const ruleCount = rulebook.rules.length;
  const points = new Int32Array(ruleCount);
  const expiry = new Float64Array(ruleCount);
  const capOrdinal = new Int32Array(ruleCount).fill(-1);
  const capAwardsMax: number[] = [];
  const capWindow: number[] = [];
  for (const rule of rulebook.rules) {
    points[rule.index] = rule.points;
    expiry[rule.index] = rule.expiresAfterMilliseconds;
    if (rule.cap) {
      capOrdinal[rule.index] = capAwardsMax.length;
      capAwardsMax.push(Math.floor(Math.abs(rule.cap.points) / Math.abs(rule.points)));
      capWindow.push(rule.cap.windowMilliseconds);
    }
  }
  return { points, expiry, capOrdinal, capAwardsMax, capWindow: Float64Array.from(capWindow) };
}

/** For the current subject, per capped rule, the times of its last `awardsMax` awards. */
export class CapRings {
  private readonly offsets: Int32Array;
  private readonly sizes: Int32Array;
  private readonly filled: Int32Array;
  private readonly heads: Int32Array;
  private readonly times: Float64Array;
  /** Whether anything was admitted since the last `clear`: most subjects never touch a cap. */
  private dirty = false;

  constructor(awardsMax: readonly number[]) {
    this.sizes = Int32Array.from(awardsMax);
    this.offsets = new Int32Array(awardsMax.length);
    let total = 0;
    awardsMax.forEach((size, ordinal) => {
      this.offsets[ordinal] = total;
      total += size;
    });
    this.filled = new Int32Array(awardsMax.length);
    this.heads = new Int32Array(awardsMax.length);
    this.times = new Float64Array(total);
  }

  clear(): void {
    if (!this.dirty) return;
    this.dirty = false;
    for (let ordinal = 0; ordinal < this.filled.length; ordinal++) {
      this.filled[ordinal] = 0;
      this.heads[ordinal] = 0;
    }
  }

  /** Records an award at `time` if the last `awardsMax` awards leave room in the window. */
  admit(ordinal: number, time: number, window: number): boolean {
    const size = this.sizes[ordinal] as number;
    const offset = this.offsets[ordinal] as number;
    const filled = this.filled[ordinal] as number;
    const head = this.heads[ordinal] as number;
    // `head` is the oldest of a full ring, and the next free place of one that is not full.
    if (filled === size && time - (this.times[offset + head] as number) < window) return false;
    this.dirty = true;
    this.times[offset + head] = time;
    this.heads[ordinal] = head + 1 === size ? 0 : head + 1;
    if (filled < size) this.filled[ordinal] = filled + 1;
    return true;
  }
}
