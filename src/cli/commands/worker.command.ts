import { type Command, Option } from "commander";
import { batchEventsMax } from "../../core/batch.js";
import type { OutcomeCounts } from "../../core/outcome.js";
import { TopologyMismatchError } from "../../pipeline/event.stream.js";
import { openNatsLink } from "../../pipeline/nats.link.js";
import { formatPartitions, parsePartitions } from "../../pipeline/pipeline.topology.js";
import {
  ackWaitMillisecondsDefault,
  type BatchReport,
  type EventRefusal,
  startWorker,
  type Worker,
  type WorkerTotals,
  workerBatchSizeDefault,
  workerBatchWaitMillisecondsDefault,
} from "../../pipeline/worker.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { type Io, printJsonLine } from "../io.js";
import { jsonOption, wholeNumberOption } from "../options.js";
import { type PipelineFlags, pipelineOptions, topologyOf } from "../pipeline-options.js";
import {
  ledgerLocationOf,
  notInitialisedError,
  openLedgerStore,
  storeOption,
} from "../store-option.js";
import { stopSignal } from "./serve.command.js";

/** Without --json, a line of totals at most this often, when something changed. */
const summaryIntervalMilliseconds = 10_000;

type WorkerFlags = PipelineFlags &
  Readonly<{
    partitions: string;
    batchSize: number;
    batchWaitMs: number;
    ackWaitSeconds: number;
    json?: boolean;
  }>;

export function registerWorkerCommand(program: Command, cli: CliContext): void {
  const command = program
    .command("worker")
    .description("commit the events of the JetStream stream to the ledger, partition by partition")
    .addOption(
      new Option("--partitions <list>", "the partitions to take: all, or e.g. 0-3 or 0,2,5-7")
        .env("CIVIC_PARTITIONS")
        .default("all"),
    )
    .addOption(
      new Option("--batch-size <n>", "events per commit at most")
        .argParser(wholeNumberOption(1, batchEventsMax))
        .default(workerBatchSizeDefault),
    )
    .addOption(
      new Option("--batch-wait-ms <ms>", "how long a batch waits to fill before it is committed")
        .argParser(wholeNumberOption(0, 10_000))
        .default(workerBatchWaitMillisecondsDefault),
    )
    .addOption(
      new Option(
        "--ack-wait-seconds <s>",
        "an event taken by a worker that does not acknowledge it within this time (it died) goes to the next worker",
      )
        .argParser(wholeNumberOption(1, 3_600))
        .default(ackWaitMillisecondsDefault / 1000),
    )
    .addOption(storeOption())
    .addOption(jsonOption());
  for (const option of pipelineOptions()) command.addOption(option);
  command
    .addHelpText(
      "after",
      `
Each partition of the stream has one durable consumer, shared by every worker that takes the
partition. A worker takes each of its partitions' events in stream order, in batches (up to
--batch-size events, or what arrived within --batch-wait-ms), commits a batch to the ledger
with one transaction per source and only then acknowledges it. A worker killed at any point
loses nothing: what it did not acknowledge is delivered again after --ack-wait-seconds, and
the ledger answers an event it already holds as a duplicate, never counting it twice.
Split the partitions between workers (--partitions 0-3 and --partitions 4-7); two workers on
the same partition share it safely, but then a subject's events are no longer committed in
stream order. Refusals only the ledger can decide (unknown_subject, an id reused for another
report) are reported here, one line each. With --json, stdout is NDJSON: {"committed":...}
after each commit, {"refused":...} per refusal and {"summary":...} at the end.
SIGTERM or SIGINT stops it: the batch in hand is committed and acknowledged, the rest handed
back to the stream at once.

Examples:
  $ civic worker
  $ civic worker --partitions 0-3 --store postgres://civic@db:5432/civic --nats nats://nats:4222
  $ civic worker --partitions 4-7 --json

Exit codes: 0 stopped cleanly, 2 usage error (a partition the stream does not have, another
partition count than the stream's), 4 not initialised, 6 storage error.`,
    )
    .action(async (options: WorkerFlags, command: Command) => {
      await runWorker(cli, options, command);
    });
}

async function runWorker(cli: CliContext, options: WorkerFlags, command: Command) {
  const location = ledgerLocationOf(command);
  const topology = topologyOf(command);
  const partitions = parsePartitions(options.partitions, topology.partitionCount);
  if (typeof partitions === "string") {
    throw new CliError(exitCodes.usage, `option '--partitions <list>': ${partitions}`);
  }
  const { store, name } = await openLedgerStore({ location });
  const stopped = stopSignal();
  const say = (text: string) => (options.json ? cli.io.stderr : cli.io.stdout)(`civic: ${text}\n`);
  const link = openNatsLink({
    servers: options.nats,
    name: "civic-worker",
    onEvent: (event) => say(event.message),
  });
  let summaryTimer: NodeJS.Timeout | undefined;
  try {
    if ((await store.currentRulebook()) === undefined) throw notInitialisedError(location);
    const starting = startWorker({
      link,
      store,
      topology,
      partitions,
      clock: cli.clock,
      batchSize: options.batchSize,
      batchWaitMilliseconds: options.batchWaitMs,
      ackWaitMilliseconds: options.ackWaitSeconds * 1000,
      onCommitted: (report) => {
        if (options.json) printJsonLine(cli.io, { committed: committedJson(report) });
      },
      onRefusal: (refusal) => reportRefusal(cli.io, refusal, options.json === true),
      onProblem: (message) => cli.io.stderr(`civic: worker: ${message}\n`),
    });
    // A signal while NATS is still unreachable stops the wait.
    const first = await Promise.race([
      starting.then((worker) => ({ worker })),
      stopped.received.then((signal) => ({ signal })),
    ]).catch((error: unknown) => {
      if (error instanceof TopologyMismatchError)
        throw new CliError(exitCodes.usage, error.message);
      throw error;
    });
    if ("signal" in first) {
      say(`${first.signal}: stopped before NATS answered`);
      await link.close();
      await starting.catch(() => undefined);
      cli.exitCode = exitCodes.ok;
      return;
    }
    const { worker } = first;
    say(
      `worker on partitions ${formatPartitions(partitions)} of the stream ${topology.stream} at ${options.nats}, committing to ${name}`,
    );
    if (!options.json) summaryTimer = startSummaries(worker, say);
    const ended = await Promise.race([
      stopped.received.then((signal) => ({ signal })),
      worker.finished.then(() => ({ signal: undefined })),
    ]);
    if (ended.signal) say(`${ended.signal}: finishing the batch in hand`);
    await worker.stop();
    const totals = worker.totals();
    if (options.json) printJsonLine(cli.io, { summary: totalsJson(totals) });
    else say(`stopped: ${totalsText(totals)}`);
  } finally {
    clearInterval(summaryTimer);
    stopped.dispose();
    await link.close();
    await store.close();
  }
  cli.exitCode = exitCodes.ok;
}

function startSummaries(worker: Worker, say: (text: string) => void): NodeJS.Timeout {
  let reported = 0;
  const timer = setInterval(() => {
    const totals = worker.totals();
    if (totals.events === reported) return;
    reported = totals.events;
    say(totalsText(totals));
  }, summaryIntervalMilliseconds);
  timer.unref();
  return timer;
}

function reportRefusal(io: Io, refusal: EventRefusal, json: boolean): void {
  if (json) {
    printJsonLine(io, { refused: refusal });
    return;
  }
  io.stdout(
    `civic: refused event '${refusal.eventId}' of source '${refusal.source}' (partition ${refusal.partition}, message ${refusal.sequence} #${refusal.index}): ${refusal.outcome}: ${refusal.message}\n`,
  );
}

function refusedCount(counts: OutcomeCounts): number {
  return Object.entries(counts).reduce(
    (sum, [kind, count]) => (kind === "accepted" || kind === "duplicate" ? sum : sum + count),
    0,
  );
}

function committedJson(report: BatchReport) {
  return {
    partition: report.partition,
    messages: report.messages,
    events: report.events,
    firstSequence: report.firstSequence,
    lastSequence: report.lastSequence,
    accepted: report.counts.accepted,
    duplicate: report.counts.duplicate,
    refused: refusedCount(report.counts),
    unreadable: report.unreadable,
    unknownSource: report.unknownSource,
  };
}

function totalsJson(totals: WorkerTotals) {
  return {
    batches: totals.batches,
    messages: totals.messages,
    events: totals.events,
    ...totals.counts,
    unreadable: totals.unreadable,
    unknownSource: totals.unknownSource,
  };
}

function totalsText(totals: WorkerTotals): string {
  const { accepted, duplicate } = totals.counts;
  return `${totals.events.toLocaleString("en-US")} events committed in ${totals.batches.toLocaleString("en-US")} batches: ${accepted.toLocaleString("en-US")} accepted, ${duplicate.toLocaleString("en-US")} duplicate, ${refusedCount(totals.counts).toLocaleString("en-US")} refused${totals.unreadable + totals.unknownSource > 0 ? `, ${totals.unreadable} unreadable, ${totals.unknownSource} of unknown sources (left in the stream)` : ""}`;
}
