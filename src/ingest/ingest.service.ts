import type { BatchItem } from "../core/batch.js";
import { batchEventsMax } from "../core/batch.js";
import { validateEvent } from "../core/event.js";
import { emptyOutcomeCounts, type Outcome, type OutcomeCounts } from "../core/outcome.js";
import type { SourceProfile } from "../core/source.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";
import { lineBytesMaxDefault, type NdjsonLine } from "./ndjson.reader.js";
import { payloadHash } from "./payload-hash.js";

export const ingestBatchSizeDefault = 5_000;

export type RefusalKind = Exclude<Outcome["kind"], "accepted" | "duplicate">;

/** Why an event was refused before it reached the store. */
export type EarlyRefusal = Readonly<{ kind: RefusalKind; message: string }>;

/**
 * One event on its way in, from any input: a batch item, or why it cannot be one. `position`
 * names it to the sender: a line number in a file, an index in an HTTP batch.
 */
export type DecodedEvent = Readonly<{ position: number; decoded: BatchItem | EarlyRefusal }>;

/** One line that did not become an entry, and why. */
export type LineRefusal = Readonly<{ lineNumber: number; kind: RefusalKind; message: string }>;

export type BatchReport = Readonly<{
  /** Every line up to this one is decided: stored, a duplicate, or refused. */
  lastLineNumber: number;
  /** Outcomes of the events this commit sent to the store. */
  batch: OutcomeCounts;
  /** Outcomes of every line up to `lastLineNumber`, refusals before the store included. */
  counts: OutcomeCounts;
}>;

type CommonOptions = Readonly<{
  store: LedgerStore;
  source: SourceProfile;
  clock: () => Instant;
  batchSize?: number;
}>;

export type IngestOptions = CommonOptions &
  Readonly<{
    /** Lines above this were refused by the reader; only used to word the message. */
    lineBytesMax?: number;
    onBatch?: (report: BatchReport) => void;
    onRefusal?: (refusal: LineRefusal) => void;
  }>;

export type IngestResult = Readonly<{ counts: OutcomeCounts; lastLineNumber: number }>;

export type DecodedIngestOptions = CommonOptions &
  Readonly<{
    /** Called once per event, in position order within each commit. */
    onOutcome?: (position: number, outcome: Outcome) => void;
    onBatch?: (report: Readonly<{ lastPosition: number; batch: OutcomeCounts }>) => void;
  }>;

/** Events gathered for one commit, with the refusals decoded among them. */
type PendingBatch = {
  items: BatchItem[];
  positions: number[];
  refusals: Array<Readonly<{ position: number; refusal: EarlyRefusal }>>;
  lastPosition: number;
};

const emptyBatch = (): PendingBatch => ({
  items: [],
  positions: [],
  refusals: [],
  lastPosition: 0,
});

/**
 * The one ingestion path behind every input (NDJSON files, HTTP batches): refusals before the
 * store are answered on their own; the rest go to the store in batches of `batchSize`, each
 * committed whole. A bad event never costs a good one.
 *
 * While one batch commits, the next is read and decoded: with a store on a server (PostgreSQL)
 * the process's parsing, validation and hashing overlap the server's work. Commits still run
 * one at a time, in order, and each batch's refusals and outcomes are reported when it commits,
 * so that `onBatch` always describes every position up to its `lastPosition` and no further.
 */
export async function ingestDecoded(
  events: AsyncIterable<DecodedEvent> | Iterable<DecodedEvent>,
  {
    store,
    source,
    clock,
    batchSize = ingestBatchSizeDefault,
    onOutcome,
    onBatch,
  }: DecodedIngestOptions,
): Promise<Readonly<{ counts: OutcomeCounts; lastPosition: number }>> {
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= batchEventsMax)) {
    throw new Error(
      `batchSize must be a whole number from 1 to ${batchEventsMax}, not ${batchSize}`,
    );
  }
  const counts = emptyOutcomeCounts();

  const commit = async ({ items, positions, refusals, lastPosition }: PendingBatch) => {
    for (const { position, refusal } of refusals) {
      counts[refusal.kind]++;
      onOutcome?.(position, refusal);
    }
    if (items.length === 0) return;
    const outcomes = await store.ingestBatch(source, items, clock());
    if (outcomes.length !== items.length) {
      throw new Error(`store answered ${outcomes.length} outcomes for ${items.length} events`);
    }
    const batch = emptyOutcomeCounts();
    outcomes.forEach((outcome, index) => {
      batch[outcome.kind]++;
      counts[outcome.kind]++;
      onOutcome?.(positions[index] as number, outcome);
    });
    onBatch?.({ lastPosition, batch });
  };

  let pending = emptyBatch();
  let committing: Promise<void> = Promise.resolve();
  let lastPosition = 0;
  try {
    for await (const { position, decoded } of events) {
      lastPosition = position;
      pending.lastPosition = position;
      if ("kind" in decoded) {
        pending.refusals.push({ position, refusal: decoded });
        continue;
      }
      pending.items.push(decoded);
      pending.positions.push(position);
      if (pending.items.length >= batchSize) {
        // The previous commit first: at most one in flight, and outcomes stay in order.
        await committing;
        committing = commit(pending);
        // Observed now, thrown at the next await: a failing store must not go unhandled.
        committing.catch(() => undefined);
        pending = emptyBatch();
      }
    }
  } finally {
    // Whatever happens to the input, a commit in flight is not abandoned unobserved.
    await committing;
  }
  await commit(pending);
  return { counts, lastPosition };
}

/**
 * Decides every line of an NDJSON stream: decoding and validation refuse a line on its own; the
 * rest go to the store in batches, each committed whole.
 */
export async function ingestLines(
  lines: AsyncIterable<NdjsonLine>,
  { lineBytesMax = lineBytesMaxDefault, onBatch, onRefusal, ...common }: IngestOptions,
): Promise<IngestResult> {
  const counts = emptyOutcomeCounts();
  const result = await ingestDecoded(decodeLines(lines, lineBytesMax), {
    ...common,
    onOutcome: (lineNumber, outcome) => {
      counts[outcome.kind]++;
      if (outcome.kind !== "accepted" && outcome.kind !== "duplicate") {
        onRefusal?.({ lineNumber, kind: outcome.kind, message: outcome.message });
      }
    },
    onBatch: ({ lastPosition, batch }) => {
      onBatch?.({ lastLineNumber: lastPosition, batch, counts: { ...counts } });
    },
  });
  return { counts: result.counts, lastLineNumber: result.lastPosition };
}

export type EventsResult = Readonly<{ counts: OutcomeCounts; outcomes: Outcome[] }>;

/**
 * Decides a batch of already parsed events (an HTTP request body), in one commit when it fits
 * one batch: one outcome per input, in input order.
 */
export async function ingestEvents(
  inputs: readonly unknown[],
  options: CommonOptions,
): Promise<EventsResult> {
  const outcomes: Outcome[] = new Array(inputs.length);
  const { counts } = await ingestDecoded(decodeInputs(inputs), {
    ...options,
    batchSize: options.batchSize ?? Math.max(1, Math.min(inputs.length, batchEventsMax)),
    onOutcome: (index, outcome) => {
      outcomes[index] = outcome;
    },
  });
  for (let index = 0; index < outcomes.length; index++) {
    if (outcomes[index] === undefined) throw new Error(`event ${index} got no outcome`);
  }
  return { counts, outcomes };
}

function* decodeInputs(inputs: readonly unknown[]): Generator<DecodedEvent> {
  for (let index = 0; index < inputs.length; index++) {
    yield { position: index, decoded: decodeEvent(inputs[index]) };
  }
}

async function* decodeLines(
  lines: AsyncIterable<NdjsonLine>,
  lineBytesMax: number,
): AsyncGenerator<DecodedEvent> {
  for await (const line of lines) {
    yield { position: line.lineNumber, decoded: decodeLine(line, lineBytesMax) };
  }
}

/** A line as a batch item, or the reason it cannot be one. */
export function decodeLine(
  line: NdjsonLine,
  lineBytesMax: number = lineBytesMaxDefault,
): BatchItem | EarlyRefusal {
  if ("tooLarge" in line) {
    return {
      kind: "too_large",
      message: `line is ${line.bytes} bytes; an event may be at most ${lineBytesMax}`,
    };
  }
  if ("invalidUtf8" in line) {
    return { kind: "malformed_json", message: "line is not valid UTF-8" };
  }
  let input: unknown;
  try {
    input = JSON.parse(line.text);
  } catch (error) {
    return { kind: "malformed_json", message: (error as Error).message };
  }
  return decodeEvent(input);
}

/** A decoded event, validated and hashed as a batch item, or the reason it cannot be one. */
export function decodeEvent(input: unknown): BatchItem | EarlyRefusal {
  const validated = validateEvent(input);
  if (!validated.ok) {
    const { outcome } = validated;
    if (outcome.kind === "accepted" || outcome.kind === "duplicate") {
      throw new Error(`validateEvent refused with '${outcome.kind}'`);
    }
    return { kind: outcome.kind, message: outcome.message };
  }
  return { event: validated.event, payloadHash: payloadHash(validated.event) };
}
