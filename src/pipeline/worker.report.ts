import { emptyOutcomeCounts, type OutcomeCounts } from "../core/outcome.js";
import type { RefusalKind } from "../ingest/ingest.service.js";
import type { MessageVerdict } from "./worker.commit.js";

/** One committed batch of one partition, reported after the commit and before the ack. */
export type BatchReport = Readonly<{
  partition: number;
  messages: number;
  events: number;
  firstSequence: number;
  lastSequence: number;
  /** The ledger's outcomes of the batch's events. */
  counts: OutcomeCounts;
  /** Messages that cannot be read (terminated). */
  unreadable: number;
  /** Events of sources this ledger does not know (left in the stream). */
  unknownSource: number;
}>;

/** An event the ledger refused: the worker is the only one to tell its final outcome. */
export type EventRefusal = Readonly<{
  partition: number;
  /** The message's stream sequence, and the event's index in it. */
  sequence: number;
  index: number;
  source: string;
  eventId: string;
  outcome: RefusalKind;
  message: string;
}>;

export type BatchAccount = Readonly<{
  report: BatchReport;
  refusals: EventRefusal[];
  /** Operating problems, one line each. */
  problems: string[];
}>;

/** What a committed batch did, from its messages' sequences, sizes and verdicts. */
export function accountBatch(
  partition: number,
  messages: readonly Readonly<{ sequence: number; events: number }>[],
  verdicts: readonly MessageVerdict[],
): BatchAccount {
  if (messages.length === 0 || messages.length !== verdicts.length) {
    throw new Error(`${verdicts.length} verdicts for a batch of ${messages.length} messages`);
  }
  const counts = emptyOutcomeCounts();
  const refusals: EventRefusal[] = [];
  const problems: string[] = [];
  let unreadable = 0;
  let unknownSource = 0;
  verdicts.forEach((verdict, messageIndex) => {
    const { sequence, events } = messages[messageIndex] as { sequence: number; events: number };
    if (verdict.kind === "unreadable") {
      unreadable++;
      problems.push(
        `partition ${partition}: message ${sequence} cannot be read (${verdict.reason}); it is terminated`,
      );
      return;
    }
    if (verdict.kind === "unknown_source") {
      unknownSource += events;
      problems.push(
        `partition ${partition}: message ${sequence} comes from the source '${verdict.source}', which this ledger does not know; it stays in the stream (is this worker on the right store?)`,
      );
      return;
    }
    verdict.outcomes.forEach(({ eventId, outcome }, index) => {
      counts[outcome.kind]++;
      if (outcome.kind === "accepted" || outcome.kind === "duplicate") return;
      refusals.push({
        partition,
        sequence,
        index,
        source: verdict.source,
        eventId,
        outcome: outcome.kind,
        message: outcome.message,
      });
    });
  });
  return {
    report: {
      partition,
      messages: messages.length,
      events: messages.reduce((sum, message) => sum + message.events, 0),
      firstSequence: (messages[0] as { sequence: number }).sequence,
      lastSequence: (messages.at(-1) as { sequence: number }).sequence,
      counts,
      unreadable,
      unknownSource,
    },
    refusals,
    problems,
  };
}

export type WorkerTotals = Readonly<{
  batches: number;
  messages: number;
  events: number;
  counts: OutcomeCounts;
  unreadable: number;
  unknownSource: number;
}>;

export function emptyTotals(): WorkerTotals {
  return {
    batches: 0,
    messages: 0,
    events: 0,
    counts: emptyOutcomeCounts(),
    unreadable: 0,
    unknownSource: 0,
  };
}

export function addToTotals(totals: WorkerTotals, report: BatchReport): WorkerTotals {
  const counts = { ...totals.counts };
  for (const [kind, count] of Object.entries(report.counts)) {
    counts[kind as keyof OutcomeCounts] += count;
  }
  return {
    batches: totals.batches + 1,
    messages: totals.messages + report.messages,
    events: totals.events + report.events,
    counts,
    unreadable: totals.unreadable + report.unreadable,
    unknownSource: totals.unknownSource + report.unknownSource,
  };
}
