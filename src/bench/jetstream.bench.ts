import { randomBytes } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Rulebook } from "../core/rulebook.js";
import { encodeEventMessage, eventMessageId } from "../pipeline/event.message.js";
import { ensureEventStream } from "../pipeline/event.stream.js";
import {
  partitionCountMax,
  partitionSubject,
  pipelineTopology,
} from "../pipeline/pipeline.topology.js";
import { benchSourceName, generatePipelineEvents } from "./pipeline.fixture.js";
import type { BenchResult } from "./report.js";

export type JetStreamBenchOptions = Readonly<{
  /** Messages to store. */
  messages: number;
  /** Events in each: what a 1,000-event request leaves per partition of a wide stream. */
  eventsPerMessage: number;
  nats: string;
}>;

/** Publications awaiting JetStream's confirmation at once, as the gateway allows per request. */
const inFlight = 64;

/**
 * What one NATS server stores per second when messages are small: at national scale a stream
 * has many partitions (`partitionCountMax`), a source's request of 1,000 events is split over
 * them, and each message carries a few events. Messages of `eventsPerMessage` events, encoded
 * as the gateway encodes them, are published to a work-queue stream of `partitionCountMax`
 * partitions on file storage, each awaited until JetStream confirms it, `inFlight` at a time.
 * The baseline sends the same messages with core NATS publish (no storage, no confirmation),
 * then one round trip: what the connection and the server cost without JetStream.
 */
export async function benchJetStream(
  rulebook: Rulebook,
  options: JetStreamBenchOptions,
): Promise<BenchResult[]> {
  const name = `JetStream stores messages of ${options.eventsPerMessage} events, ${partitionCountMax} partitions, ${options.messages.toLocaleString("en-US")} messages`;
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect({ servers: options.nats, timeout: 3_000, reconnect: false });
  } catch (error) {
    process.stderr.write(
      `jetstream bench NOT RUN: NATS not reachable at ${options.nats} (${(error as Error).message})\n`,
    );
    return [
      {
        name: `${name} (NOT RUN: no NATS)`,
        figure: 0,
        unit: "messages/s",
        baseline: undefined,
        baselineName: undefined,
        goal: "none (an input to docs/scaling.md)",
        met: undefined,
      },
    ];
  }
  const topology = pipelineTopology(
    `CIVIC_BENCH_JS_${randomBytes(4).toString("hex").toUpperCase()}`,
    partitionCountMax,
  );
  const manager = await jetstreamManager(connection);
  try {
    await ensureEventStream(manager, topology);
    const events = generatePipelineEvents(rulebook, {
      events: options.messages * options.eventsPerMessage,
      subjects: 100_000,
      now: Date.now(),
    });
    const messages = Array.from({ length: options.messages }, (_, index) => {
      const slice = events.slice(
        index * options.eventsPerMessage,
        (index + 1) * options.eventsPerMessage,
      );
      return {
        subject: partitionSubject(topology, index % partitionCountMax),
        payload: encodeEventMessage({ source: benchSourceName, events: slice }),
        id: eventMessageId(
          benchSourceName,
          slice.map((event) => ({ eventId: event.id, payloadHash: event.id })),
        ),
      };
    });

    const coreStart = process.hrtime.bigint();
    const coreSubject = `civic.bench.core.${randomBytes(4).toString("hex")}`;
    for (const message of messages) connection.publish(coreSubject, message.payload);
    await connection.flush();
    const coreSeconds = Number(process.hrtime.bigint() - coreStart) / 1e9;

    const client = jetstream(connection, { timeout: 30_000 });
    let next = 0;
    const publisher = async () => {
      while (next < messages.length) {
        const message = messages[next++] as (typeof messages)[number];
        await client.publish(message.subject, message.payload, { msgID: message.id });
      }
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: inFlight }, publisher));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const stored = (await manager.streams.info(topology.stream)).state.messages;
    if (stored !== messages.length) {
      throw new Error(`the stream holds ${stored} of ${messages.length} messages`);
    }
    process.stderr.write(
      `  JetStream stored ${Math.round((options.messages * options.eventsPerMessage) / seconds).toLocaleString("en-US")} events/s in messages of ${options.eventsPerMessage}\n`,
    );
    return [
      {
        name,
        figure: options.messages / seconds,
        unit: "messages/s",
        baseline: options.messages / coreSeconds,
        baselineName: "core NATS publish of the same messages, unstored",
        goal: "none (an input to docs/scaling.md)",
        met: undefined,
      },
    ];
  } finally {
    await manager.streams.delete(topology.stream).catch(() => false);
    await connection.close();
  }
}
