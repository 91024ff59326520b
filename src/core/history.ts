import { type StoredStatus, storedStatuses } from "./entry.js";
import { replayState } from "./replay.js";

/**
 * A stored entry's standing, as a replay under another rulebook needs it, in one small code:
 * the stored status (its index in `storedStatuses`, bits 0-2), whether a reviewer confirmed the
 * attribution (bit 3), and whether its confidence is below the replaying rulebook's threshold
 * (bit 4). Storage adapters compute it in their query language: keep these values stable.
 */
export const standingBits = { statusMask: 7, confirmed: 8, lowConfidence: 16 } as const;
export const standingCodeCount = 32;

export type Standing = Readonly<{
  status: StoredStatus;
  /** The attribution waited for review and a reviewer confirmed it. */
  confirmed: boolean;
  /** A confidence below the threshold of the rulebook the history is replayed under. */
  lowConfidence: boolean;
}>;

export function standingCode({ status, confirmed, lowConfidence }: Standing): number {
  return (
    storedStatuses.indexOf(status) +
    (confirmed ? standingBits.confirmed : 0) +
    (lowConfidence ? standingBits.lowConfidence : 0)
  );
}

/**
 * How an entry replays under another rulebook: a reversal or rejection voids it; an open appeal
 * holds it; an unconfirmed attribution below the rulebook's confidence threshold waits for a
 * reviewer (held), whatever the live rulebook decided, and one at or above it counts even if it
 * waits for review in the live ledger. Everything else is priced afresh.
 */
export function replayStateOfStanding(code: number): number {
  const status = storedStatuses[code & standingBits.statusMask];
  if (status === undefined || !Number.isInteger(code) || code < 0 || code >= standingCodeCount) {
    throw new Error(`standing code ${code} is not one of the ${standingCodeCount}`);
  }
  if (status === "reversed" || status === "rejected") return replayState.void;
  if (status === "disputed") return replayState.held;
  const confirmed = (code & standingBits.confirmed) !== 0;
  const lowConfidence = (code & standingBits.lowConfidence) !== 0;
  return lowConfidence && !confirmed ? replayState.held : replayState.normal;
}

/** Marks a code no status has, in `replayStatesByStanding`. */
export const impossibleStanding = 255;

/** `replayStateOfStanding` of every code as a table, `impossibleStanding` where none is. */
export function replayStatesByStanding(): Uint8Array {
  return Uint8Array.from({ length: standingCodeCount }, (_, code) =>
    (code & standingBits.statusMask) < storedStatuses.length
      ? replayStateOfStanding(code)
      : impossibleStanding,
  );
}

/**
 * A stretch of the stored history in the order a replay reads it: whole subjects in ascending
 * internal id order, each subject's events sorted by occurrence time (ties in recording order).
 * Subjects without events are listed too: a new base score or new thresholds move them as well.
 * `regions` and `types` are the names behind the indexes, the same in every chunk of a stream
 * (later chunks may add names at the end).
 */
export type HistoryChunk = Readonly<{
  subjects: Readonly<{
    count: number;
    internalIds: Int32Array;
    regionIndex: Int32Array;
  }>;
  events: Readonly<{
    length: number;
    /** Position of the event's subject in `subjects`. */
    subjectIndex: Int32Array;
    typeIndex: Int32Array;
    occurredAt: Float64Array;
    /** `standingCode` of the entry. */
    standing: Uint8Array;
    /** The entry's points if it counts at the query's time in the live ledger, else 0. */
    livePoints: Int16Array;
  }>;
  regions: readonly string[];
  types: readonly string[];
}>;
