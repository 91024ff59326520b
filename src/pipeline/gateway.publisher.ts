import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { ensureEventStream } from "./event.stream.js";
import type { Publication } from "./gateway.outcome.js";
import type { NatsLink } from "./nats.link.js";
import type { PipelineTopology } from "./pipeline.topology.js";

/** Messages of one request on their way to the stream at once: bounds the client's buffers. */
export const publishesInFlightMax = 64;
/** A publication JetStream has not confirmed by then has failed (and the request with it). */
export const publishTimeoutMillisecondsDefault = 5_000;

/**
 * The stream cannot take events now: NATS is unreachable, JetStream does not confirm, or the
 * stream is full. The request is refused; the events confirmed before the failure stay queued,
 * and sending the batch again is safe (the stream and the ledger both know a resent report).
 */
export class PipelineUnavailableError extends Error {
  override readonly name = "PipelineUnavailableError";
  constructor(
    message: string,
    /** Events in messages JetStream confirmed before the failure. */
    readonly queuedBeforeFailure: number,
  ) {
    super(message);
  }
}

export type EventPublisher = Readonly<{
  /**
   * Stores every publication in the stream, answering only once JetStream confirmed them all:
   * the stream sequence of each.
   */
  publish(publications: readonly Publication[]): Promise<number[]>;
  /** Why the stream cannot take events right now (NATS unreachable), or undefined. */
  notReadyReason(): string | undefined;
}>;

export type EventPublisherOptions = Readonly<{
  link: NatsLink;
  topology: PipelineTopology;
  publishTimeoutMilliseconds?: number;
}>;

type Clients = Readonly<{ client: JetStreamClient; streamReady: Promise<void> }>;

export function createEventPublisher({
  link,
  topology,
  publishTimeoutMilliseconds = publishTimeoutMillisecondsDefault,
}: EventPublisherOptions): EventPublisher {
  // Per connection: the stream is checked (or created) once, and again after a failure.
  let clients: { connection: NatsConnection; value: Clients } | undefined;
  const clientsOf = (connection: NatsConnection): Clients => {
    if (clients?.connection !== connection) {
      const streamReady = jetstreamManager(connection, {
        timeout: publishTimeoutMilliseconds,
      }).then((manager: JetStreamManager) => ensureEventStream(manager, topology));
      streamReady.catch(() => undefined);
      clients = {
        connection,
        value: {
          client: jetstream(connection, { timeout: publishTimeoutMilliseconds }),
          streamReady,
        },
      };
    }
    return clients.value;
  };

  const unavailable = (reason: string, queued: number) => {
    clients = undefined;
    return new PipelineUnavailableError(
      `the event stream ${topology.stream} at ${link.servers} cannot take events: ${reason}`,
      queued,
    );
  };

  return {
    notReadyReason() {
      return link.connection() ? undefined : `NATS at ${link.servers} is ${link.state()}`;
    },
    async publish(publications) {
      if (publications.length === 0) return [];
      const connection = link.connection();
      if (!connection) throw unavailable(`NATS is ${link.state()}`, 0);
      const { client, streamReady } = clientsOf(connection);
      try {
        await streamReady;
      } catch (error) {
        throw unavailable((error as Error).message, 0);
      }
      const sequences: number[] = new Array(publications.length);
      let next = 0;
      let queued = 0;
      let failure: Error | undefined;
      const runner = async () => {
        while (failure === undefined && next < publications.length) {
          const index = next++;
          const publication = publications[index] as Publication;
          try {
            const acknowledgement = await client.publish(publication.subject, publication.payload, {
              msgID: publication.messageId,
              timeout: publishTimeoutMilliseconds,
            });
            sequences[index] = acknowledgement.seq;
            queued += publication.indexes.length;
          } catch (error) {
            failure ??= error as Error;
          }
        }
      };
      const runners = Math.min(publishesInFlightMax, publications.length);
      await Promise.all(Array.from({ length: runners }, runner));
      if (failure !== undefined) throw unavailable(failureReason(failure), queued);
      return sequences;
    },
  };
}

function failureReason(error: Error): string {
  if (/maximum (bytes|messages) exceeded/i.test(error.message)) {
    return "the stream is full until the workers catch up";
  }
  if (error.name === "TimeoutError") return "JetStream did not confirm in time";
  return error.message;
}
