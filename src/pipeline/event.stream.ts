import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import {
  consumerName,
  type PipelineTopology,
  partitionSubject,
  streamSubjects,
} from "./pipeline.topology.js";

/**
 * The stream is the pipeline's bounded queue: when it holds this much, the gateway refuses new
 * events (503) until the workers catch up, instead of letting the disk fill.
 */
export const streamBytesMaxDefault = 1024 * 1024 * 1024;
/** The same report resent within this window is stored once (see `eventMessageId`). */
export const duplicateWindowMilliseconds = 2 * 60 * 1000;

/** JetStream's "stream name already in use with a different configuration". */
const streamNameInUseCode = 10_058;

/** The stream exists with other partitions than this process was started with. */
export class TopologyMismatchError extends Error {
  override readonly name = "TopologyMismatchError";
}

/**
 * Creates the event stream when it does not exist yet, else checks that it is the one this
 * process expects: the same partition subjects, a work queue. Settings an operator may tune with
 * the `nats` tool (size, replicas) are left alone.
 *
 * A work queue keeps an event until a worker acknowledges it, and then removes it: the ledger is
 * the record, the stream only the way there.
 */
export async function ensureEventStream(
  manager: JetStreamManager,
  topology: PipelineTopology,
  { streamBytesMax = streamBytesMaxDefault }: Readonly<{ streamBytesMax?: number }> = {},
): Promise<void> {
  const expected = streamSubjects(topology);
  let config: StreamConfig;
  try {
    config = (await manager.streams.info(topology.stream)).config;
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      config = (
        await manager.streams.add({
          name: topology.stream,
          description: `Civic Credit conduct events, ${topology.partitionCount} partitions by subject id`,
          subjects: expected,
          retention: RetentionPolicy.Workqueue,
          storage: StorageType.File,
          discard: DiscardPolicy.New,
          max_bytes: streamBytesMax,
          duplicate_window: nanos(duplicateWindowMilliseconds),
          num_replicas: 1,
        })
      ).config;
    } catch (addError) {
      // Another gateway or worker created it first: check what it made.
      if (!isApiError(addError, streamNameInUseCode)) throw addError;
      config = (await manager.streams.info(topology.stream)).config;
    }
  }
  const subjects = config.subjects ?? [];
  if (
    subjects.length !== expected.length ||
    subjects.some((subject, i) => subject !== expected[i])
  ) {
    throw new TopologyMismatchError(
      `the stream ${topology.stream} has the subjects ${subjects.join(", ") || "(none)"}, not the ${topology.partitionCount} partitions ${topology.subjectPrefix}.0 to ${topology.subjectPrefix}.${topology.partitionCount - 1} this process was started with; start it with the stream's partition count`,
    );
  }
  if (config.retention !== RetentionPolicy.Workqueue) {
    throw new TopologyMismatchError(
      `the stream ${topology.stream} keeps messages by ${config.retention}, not as a work queue: it is not an event stream of this pipeline`,
    );
  }
}

export type ConsumerSettings = Readonly<{
  /** An event not acknowledged this long after delivery is delivered again. */
  ackWaitMilliseconds: number;
  /** Events delivered and not yet acknowledged, per partition: what a worker holds at most. */
  ackPendingMax: number;
}>;

/**
 * Creates or updates the durable consumer of one partition. Every worker that takes the
 * partition uses the same one, so an event is delivered to one worker at a time, and one that a
 * worker took and never acknowledged (it crashed) goes to the next after `ackWaitMilliseconds`.
 */
export async function ensurePartitionConsumer(
  manager: JetStreamManager,
  topology: PipelineTopology,
  partition: number,
  settings: ConsumerSettings,
): Promise<string> {
  const name = consumerName(partition);
  await manager.consumers.add(topology.stream, {
    durable_name: name,
    description: `Civic Credit workers of partition ${partition}`,
    filter_subject: partitionSubject(topology, partition),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.ackWaitMilliseconds),
    max_ack_pending: settings.ackPendingMax,
    // Never give up on an event: one the ledger cannot take yet is retried, not dropped.
    max_deliver: -1,
  });
  return name;
}

export function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
