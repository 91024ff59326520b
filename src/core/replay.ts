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

/** A history in columns, sorted by occurrence time, with subjects and rules as dense indexes. */
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
 * Prices and scores a whole history in one pass, in occurrence order: the policy lab's "what
 * would every score be under this rulebook". Equal to pricing the same events one by one with
 * `priceEvent` in occurrence order (a property test holds it to that), but with caps kept as
 * ring buffers of recent award times instead of lists, since within one rulebook every award of
 * a type is worth the same and a cap of C allows floor(C / points) awards per window.
 */
export function replayScores(
  columns: ReplayColumns,
  rulebook: Rulebook,
  subjectCount: number,
  at: Instant,
): ReplayResult {
  const { rules } = rulebook;
  const ruleCount = rules.length;
  const points = new Int32Array(ruleCount);
  const expiry = new Float64Array(ruleCount);
  const capOrdinal = new Int32Array(ruleCount).fill(-1);
  const capAwardsMax: number[] = [];
  const capWindow: number[] = [];
  for (const rule of rules) {
    points[rule.index] = rule.points;
    expiry[rule.index] = rule.expiresAfterMilliseconds;
    if (rule.cap) {
      capOrdinal[rule.index] = capAwardsMax.length;
      capAwardsMax.push(Math.floor(Math.abs(rule.cap.points) / Math.abs(rule.points)));
      capWindow.push(rule.cap.windowMilliseconds);
    }
  }
  const rings = new CapRings(subjectCount, capAwardsMax);
  const scores = new Int32Array(subjectCount).fill(rulebook.baseScore);
  let capped = 0;
  let unpriced = 0;
  let previousTime = Number.NEGATIVE_INFINITY;
  const { subjectIndex, ruleIndex, occurredAt, state, length } = columns;
  for (let index = 0; index < length; index++) {
    const time = occurredAt[index] as number;
    if (time < previousTime) throw new Error(`replay input is not sorted by time at ${index}`);
    previousTime = time;
    const rule = ruleIndex[index] as number;
    const eventState = state[index] as number;
    if (rule < 0 || eventState === replayState.void) {
      unpriced++;
      continue;
    }
    const subject = subjectIndex[index] as number;
    const ordinal = capOrdinal[rule] as number;
    if (ordinal >= 0 && !rings.admit(subject, ordinal, time, capWindow[ordinal] as number)) {
      capped++;
      continue;
    }
    if (eventState === replayState.normal && time <= at && at < time + (expiry[rule] as number)) {
      scores[subject] = (scores[subject] as number) + (points[rule] as number);
    }
  }
  return { scores, priced: length - unpriced, capped, unpriced };
}

/** Per subject and capped rule, the times of the last `awardsMax` awards, allocated on first use. */
class CapRings {
  private readonly offsets: Int32Array;
  private readonly filled: Uint16Array;
  private readonly heads: Uint16Array;
  private pool = new Float64Array(1 << 16);
  private poolUsed = 0;

  constructor(
    subjectCount: number,
    private readonly awardsMax: readonly number[],
  ) {
    const slots = subjectCount * awardsMax.length;
    this.offsets = new Int32Array(slots).fill(-1);
    this.filled = new Uint16Array(slots);
    this.heads = new Uint16Array(slots);
  }

  /** Records an award at `time` if the last `awardsMax` awards leave room in the window. */
  admit(subject: number, ordinal: number, time: number, window: number): boolean {
    const slot = subject * this.awardsMax.length + ordinal;
    const size = this.awardsMax[ordinal] as number;
    let offset = this.offsets[slot] as number;
    if (offset < 0) {
      offset = this.allocate(size);
      this.offsets[slot] = offset;
    }
    const filled = this.filled[slot] as number;
    const head = this.heads[slot] as number;
    // `head` is the oldest of a full ring, and the next free place of one that is not full.
    if (filled === size && time - (this.pool[offset + head] as number) < window) return false;
    this.pool[offset + head] = time;
    this.heads[slot] = head + 1 === size ? 0 : head + 1;
    if (filled < size) this.filled[slot] = filled + 1;
    return true;
  }

  private allocate(size: number): number {
    if (this.poolUsed + size > this.pool.length) {
      const grown = new Float64Array(Math.max(this.pool.length * 2, this.poolUsed + size));
      grown.set(this.pool);
      this.pool = grown;
    }
    const offset = this.poolUsed;
    this.poolUsed += size;
    return offset;
  }
}
