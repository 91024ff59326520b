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

export type IngestOptions = Readonly<{
  store: LedgerStore;
  source: SourceProfile;
  clock: () => Instant;
  batchSize?: number;
  /** Lines above this were refused by the reader; only used to word the message. */
  lineBytesMax?: number;
  onBatch?: (report: BatchReport) => void;
  onRefusal?: (refusal: LineRefusal) => void;
}>;

export type IngestResult = Readonly<{ counts: OutcomeCounts; lastLineNumber: number }>;

/**
 * Decides every line of an NDJSON stream: decoding and validation refuse a line on its own; the
 * rest go to the store in batches, each committed whole. A bad line never costs a good one.
 */
export async function ingestLines(
  lines: AsyncIterable<NdjsonLine>,
  {
    store,
    source,
    clock,
    batchSize = ingestBatchSizeDefault,
    lineBytesMax = lineBytesMaxDefault,
    onBatch,
    onRefusal,
  }: IngestOptions,
): Promise<IngestResult> {
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= batchEventsMax)) {
    throw new Error(
      `batchSize must be a whole number from 1 to ${batchEventsMax}, not ${batchSize}`,
    );
  }
  const counts = emptyOutcomeCounts();
  const refuse = (refusal: LineRefusal) => {
    counts[refusal.kind]++;
    onRefusal?.(refusal);
  };
  let items: BatchItem[] = [];
  let lineNumbers: number[] = [];
  let lastLineNumber = 0;

  const commit = async () => {
    const outcomes = await store.ingestBatch(source, items, clock());
    if (outcomes.length !== items.length) {
      throw new Error(`store answered ${outcomes.length} outcomes for ${items.length} events`);
    }
    const batch = emptyOutcomeCounts();
    outcomes.forEach((outcome, index) => {
      batch[outcome.kind]++;
      counts[outcome.kind]++;
      if (outcome.kind !== "accepted" && outcome.kind !== "duplicate") {
        onRefusal?.({
          lineNumber: lineNumbers[index] as number,
          kind: outcome.kind,
          message: outcome.message,
        });
      }
    });
    items = [];
    lineNumbers = [];
    onBatch?.({ lastLineNumber, batch, counts: { ...counts } });
  };

  for await (const line of lines) {
    lastLineNumber = line.lineNumber;
    const decoded = decodeLine(line, lineBytesMax);
    if ("kind" in decoded) {
      refuse({ lineNumber: line.lineNumber, ...decoded });
      continue;
    }
    items.push(decoded);
    lineNumbers.push(line.lineNumber);
    if (items.length >= batchSize) await commit();
  }
  if (items.length > 0) await commit();
  return { counts, lastLineNumber };
}

/** A line as a batch item, or the reason it cannot be one. */
export function decodeLine(
  line: NdjsonLine,
  lineBytesMax: number = lineBytesMaxDefault,
): BatchItem | Readonly<{ kind: RefusalKind; message: string }> {
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
