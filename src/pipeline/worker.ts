import {
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { batchEventsMax } from "../core/batch.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";
import { type DecodedMessage, decodeEventMessage, messageEventsMax } from "./event.message.js";
import { ensureEventStream, ensurePartitionConsumer } from "./event.stream.js";
import type { NatsLink } from "./nats.link.js";
import { consumerName, type PipelineTopology } from "./pipeline.topology.js";
import { BatchBuffer } from "./worker.buffer.js";
import { commitMessages, type MessageVerdict } from "./worker.commit.js";
import { HeldMessages } from "./worker.held.js";
import {
  accountBatch,
  addToTotals,
  type BatchReport,
  type EventRefusal,
  emptyTotals,
  type WorkerTotals,
} from "./worker.report.js";

export type { BatchReport, EventRefusal, WorkerTotals };

export const workerBatchSizeDefault = 1_000;
export const workerBatchWaitMillisecondsDefault = 50;
export const ackWaitMillisecondsDefault = 30_000;
/** A failed write is tried again after this long, doubling up to the maximum. */
const retryDelayMillisecondsMin = 100;
const retryDelayMillisecondsMax = 5_000;
/** What one partition's consumer asks the server for at a time, in message bytes. */
const consumeBytesMax = 4 * 1024 * 1024;
/** A message whose source this ledger does not know is offered again after this long. */
const unknownSourceRedeliveryMilliseconds = 30_000;

/** A message as the partition holds it: decoded once, when it arrives. */
type Delivery = Readonly<{ message: JsMsg; decoded: DecodedMessage }>;

export type WorkerOptions = Readonly<{
  link: NatsLink;
  store: LedgerStore;
  topology: PipelineTopology;
  partitions: readonly number[];
  clock: () => Instant;
  batchSize?: number;
  batchWaitMilliseconds?: number;
  ackWaitMilliseconds?: number;
  /** After a batch is committed, before it is acknowledged: awaited. */
  onCommitted?: (report: BatchReport) => void | Promise<void>;
  onRefusal?: (refusal: EventRefusal) => void;
  /** Operating problems: a write retried, an ack lost, a message that cannot be read. */
  onProblem?: (message: string) => void;
}>;

export type Worker = Readonly<{
  totals(): WorkerTotals;
  /** Stops taking events, finishes the batch in hand, hands back the rest unacknowledged. */
  stop(): Promise<void>;
  /** Settles when every partition has stopped: by `stop`, or because the connection closed. */
  finished: Promise<void>;
}>;

class WorkerStoppedError extends Error {}

/**
 * Consumes `partitions` through their durable consumers and commits them to the ledger: per
 * partition, in stream order, in batches of up to `batchSize` events or `batchWaitMilliseconds`,
 * committed with one `ingestBatch` per source and only then acknowledged. A worker that dies
 * anywhere before the acknowledgement leaves its events to be delivered again, after
 * `ackWaitMilliseconds`, to whichever worker takes the partition next; the ledger answers the
 * ones it already holds as duplicates.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const {
    link,
    topology,
    partitions,
    batchSize = workerBatchSizeDefault,
    batchWaitMilliseconds = workerBatchWaitMillisecondsDefault,
    ackWaitMilliseconds = ackWaitMillisecondsDefault,
    onProblem = () => undefined,
  } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= batchEventsMax)) {
    throw new Error(
      `batchSize must be a whole number from 1 to ${batchEventsMax}, not ${batchSize}`,
    );
  }
  if (partitions.length === 0) throw new Error("a worker needs at least one partition");
  const settings = { ackWaitMilliseconds, ackPendingMax: 2 * batchSize };
  const connection = await link.connected();
  const manager = await jetstreamManager(connection);
  await ensureEventStream(manager, topology);
  for (const partition of partitions) {
    await ensurePartitionConsumer(manager, topology, partition, settings);
  }
  const client = jetstream(connection);
  // Closed for good (the link closed, not a reconnect): nothing can be acknowledged any more,
  // so every partition stops, and nothing waits on the closed connection's iterators.
  const closed = connection.closed().then(() => undefined);
  const state = new WorkerState(options, { batchSize, batchWaitMilliseconds, onProblem }, closed);
  void closed.then(() => state.stop());
  const finished = Promise.all(
    partitions.map((partition) => state.runPartition(client, partition)),
  ).then(() => undefined);
  finished.catch(() => undefined);
  return {
    totals: () => state.totals(),
    stop: async () => {
      state.stop();
      await finished;
    },
    finished,
  };
}

type Tuning = Readonly<{
  batchSize: number;
  batchWaitMilliseconds: number;
  onProblem: (message: string) => void;
}>;

class WorkerState {
  private stopping = false;
  private readonly buffers = new Set<BatchBuffer<Delivery>>();
  private readonly wakeSleepers = new Set<() => void>();
  private running: WorkerTotals = emptyTotals();

  constructor(
    private readonly options: WorkerOptions,
    private readonly tuning: Tuning,
    private readonly connectionClosed: Promise<void>,
  ) {}

  totals(): WorkerTotals {
    return this.running;
  }

  stop(): void {
    this.stopping = true;
    for (const buffer of this.buffers) buffer.close();
    for (const wake of this.wakeSleepers) wake();
  }

  async runPartition(client: JetStreamClient, partition: number) {
    const consumer = await client.consumers.get(
      this.options.topology.stream,
      consumerName(partition),
    );
    // Events held at most: two batches, and a message that does not fit the second.
    const buffer = new BatchBuffer<Delivery>(
      2 * this.tuning.batchSize + messageEventsMax,
      (delivery) => eventsOf(delivery.decoded),
    );
    this.buffers.add(buffer);
    if (this.stopping) buffer.close();
    const { ackWaitMilliseconds = ackWaitMillisecondsDefault } = this.options;
    const held = new HeldMessages<JsMsg>(ackWaitMilliseconds);
    const messages = await consumer.consume({ max_bytes: consumeBytesMax });
    void this.watch(messages, partition);
    // Moves delivered messages into the buffer, decoded; while the buffer is full it waits, and
    // the consumer asks the server for nothing more.
    const pump = (async () => {
      for await (const message of messages) {
        if (!held.hold(message, Date.now())) continue;
        const delivery = { message, decoded: decodeEventMessage(message.data) };
        if (await buffer.put(delivery)) continue;
        // The worker is stopping: the message goes back to the stream for the next worker.
        held.release([message]);
        handBack([delivery]);
      }
    })().finally(() => buffer.close());
    // A connection closed for good ends the consumer, but not always its iterator.
    void messages.closed().then(() => buffer.close());
    const keepAlive = setInterval(() => held.keepAlive(Date.now()), held.tickMilliseconds);
    try {
      for (;;) {
        const batch = await buffer.take(this.tuning.batchSize, this.tuning.batchWaitMilliseconds);
        if (batch.length === 0) break;
        if (this.stopping) handBack(batch);
        else await this.processBatch(partition, batch);
        held.release(batch.map((delivery) => delivery.message));
      }
    } finally {
      clearInterval(keepAlive);
      buffer.close();
      // On a closed connection neither always settles: the connection's end is enough.
      await Promise.race([messages.close().catch(() => undefined), this.connectionClosed]);
      await Promise.race([pump.catch(() => undefined), this.connectionClosed]);
      handBack(buffer.drain());
      held.clear();
      this.buffers.delete(buffer);
    }
  }

  private async processBatch(partition: number, batch: readonly Delivery[]): Promise<void> {
    const { store, clock } = this.options;
    let verdicts: MessageVerdict[];
    try {
      verdicts = await commitMessages(
        batch.map((delivery) => delivery.decoded),
        { store, clock, retrying: (write) => this.retrying(partition, write) },
      );
    } catch (error) {
      if (!(error instanceof WorkerStoppedError)) throw error;
      handBack(batch);
      return;
    }
    const { report, refusals, problems } = accountBatch(
      partition,
      batch.map(({ message, decoded }) => ({ sequence: message.seq, events: eventsOf(decoded) })),
      verdicts,
    );
    this.running = addToTotals(this.running, report);
    for (const refusal of refusals) this.options.onRefusal?.(refusal);
    for (const problem of problems) this.tuning.onProblem(problem);
    await this.options.onCommitted?.(report);
    this.acknowledge(partition, batch, verdicts);
  }

  private acknowledge(
    partition: number,
    batch: readonly Delivery[],
    verdicts: readonly MessageVerdict[],
  ): void {
    try {
      batch.forEach(({ message }, index) => {
        const verdict = verdicts[index] as MessageVerdict;
        if (verdict.kind === "decided") message.ack();
        // Without a reason: servers before 2.10 ignore a termination that gives one.
        else if (verdict.kind === "unreadable") message.term();
        else message.nak(unknownSourceRedeliveryMilliseconds);
      });
    } catch (error) {
      this.tuning.onProblem(
        `partition ${partition}: could not acknowledge a committed batch (${(error as Error).message}); its events will be delivered again and found duplicates`,
      );
    }
  }

  private async retrying<T>(partition: number, write: () => Promise<T>): Promise<T> {
    let delay = retryDelayMillisecondsMin;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new WorkerStoppedError();
      try {
        return await write();
      } catch (error) {
        this.tuning.onProblem(
          `partition ${partition}: the ledger write failed (${(error as Error).message}); attempt ${attempt}, trying again in ${delay} ms`,
        );
        await this.sleep(delay);
        delay = Math.min(retryDelayMillisecondsMax, delay * 2);
      }
    }
  }

  /** Sleeps, or less when the worker is told to stop. */
  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, milliseconds);
      this.wakeSleepers.add(wake);
    });
  }

  private async watch(messages: ConsumerMessages, partition: number): Promise<void> {
    for await (const status of messages.status()) {
      if (
        status.type === "consumer_deleted" ||
        status.type === "consumer_not_found" ||
        status.type === "stream_not_found"
      ) {
        this.tuning.onProblem(
          `partition ${partition}: ${status.type.replaceAll("_", " ")}; restart the worker to create it again`,
        );
      }
    }
  }
}

/** Offers messages back to the stream at once, for the next worker of their partition. */
function handBack(batch: readonly Delivery[]): void {
  try {
    for (const { message } of batch) message.nak();
  } catch {
    // A closed connection: the server delivers them again after the ack wait.
  }
}

function eventsOf(decoded: DecodedMessage): number {
  return decoded.kind === "events" ? decoded.events.length : 1;
}
