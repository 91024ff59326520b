import { decideByPolicy } from "../core/batch.js";
import type { OutcomeKind } from "../core/outcome.js";
import type { Rulebook } from "../core/rulebook.js";
import type { SourceProfile } from "../core/source.js";
import type { Instant } from "../core/time.js";
import { decodeEvent } from "../ingest/ingest.service.js";
import {
  type EventKey,
  encodeSerializedEvents,
  eventMessageId,
  messageBytesMax,
  messageEventsMax,
} from "./event.message.js";
import { type PipelineTopology, partitionOf, partitionSubject } from "./pipeline.topology.js";

/**
 * The closed list of answers the gateway gives for one event. It answers before any worker has
 * priced the event, so it can honestly say only what it knows then: the event is refused by its
 * shape or by policy (the same refusals, in the same order, as the ledger), or it is `queued`:
 * stored in the stream, from where a worker will record it, or find it a duplicate, or refuse
 * it for what only the ledger knows (an unknown subject, an id reused for another report).
 */
export const gatewayOutcomeKinds = [
  "queued",
  "invalid_field",
  "occurred_in_future",
  "unknown_event_type",
  "source_not_authorised_for_type",
] as const satisfies readonly ("queued" | OutcomeKind)[];
export type GatewayOutcomeKind = (typeof gatewayOutcomeKinds)[number];
export type GatewayRefusalKind = Exclude<GatewayOutcomeKind, "queued">;
export type GatewayRefusal = Readonly<{ kind: GatewayRefusalKind; message: string }>;

export type GatewayOutcome =
  | Readonly<{ kind: "queued"; partition: number; sequence: number }>
  | GatewayRefusal;

/** An event that passed every check, on its way to its partition. */
export type RoutedEvent = Readonly<{ partition: number; key: EventKey; input: unknown }>;

/** One message to store: events of one partition, and where they are in the request. */
export type Publication = Readonly<{
  subject: string;
  partition: number;
  messageId: string;
  /** The encoded `EventMessage`. */
  payload: Uint8Array;
  /** The request's indexes of the message's events, in message order. */
  indexes: readonly number[];
}>;

export type GatewayContext = Readonly<{
  source: SourceProfile;
  rulebook: Rulebook;
  receivedAt: Instant;
  topology: PipelineTopology;
}>;

/** Decides what the gateway can about one event: a refusal, or its partition. */
export function decideAtGateway(
  input: unknown,
  context: GatewayContext,
): RoutedEvent | GatewayRefusal {
  const decoded = decodeEvent(input);
  if ("kind" in decoded) {
    if (decoded.kind !== "invalid_field") {
      throw new Error(`decodeEvent refused a parsed event with '${decoded.kind}'`);
    }
    return { kind: decoded.kind, message: decoded.message };
  }
  const { event, payloadHash } = decoded;
  const decided = decideByPolicy(event, context);
  if ("kind" in decided) {
    if (!isGatewayRefusal(decided.kind) || !("message" in decided)) {
      throw new Error(`decideByPolicy answered '${decided.kind}'`);
    }
    return { kind: decided.kind, message: decided.message };
  }
  return {
    partition: partitionOf(event.subject, context.topology.partitionCount),
    key: { eventId: event.id, payloadHash },
    input,
  };
}

/**
 * The messages of a request's routed events: per partition, in request order, as few as
 * `messageEventsMax` and `messageBytesMax` allow.
 */
export function publicationsOf(
  decisions: readonly (RoutedEvent | GatewayRefusal)[],
  context: Pick<GatewayContext, "source" | "topology">,
): Publication[] {
  const byPartition = new Map<number, number[]>();
  decisions.forEach((decision, index) => {
    if ("kind" in decision) return;
    const indexes = byPartition.get(decision.partition) ?? [];
    indexes.push(index);
    byPartition.set(decision.partition, indexes);
  });
  const source = context.source.name;
  const envelopeBytes = encodeSerializedEvents(source, []).length;
  const publications: Publication[] = [];
  for (const [partition, indexes] of byPartition) {
    let chunk: number[] = [];
    let texts: string[] = [];
    let chunkBytes = envelopeBytes;
    const flush = () => {
      if (chunk.length === 0) return;
      publications.push({
        subject: partitionSubject(context.topology, partition),
        partition,
        messageId: eventMessageId(
          source,
          chunk.map((index) => (decisions[index] as RoutedEvent).key),
        ),
        payload: encodeSerializedEvents(source, texts),
        indexes: chunk,
      });
      chunk = [];
      texts = [];
      chunkBytes = envelopeBytes;
    };
    for (const index of indexes) {
      // Serialized once: measured here, sent as it is.
      const text = JSON.stringify((decisions[index] as RoutedEvent).input);
      const bytes = Buffer.byteLength(text) + 1;
      if (chunk.length >= messageEventsMax || chunkBytes + bytes > messageBytesMax) flush();
      chunk.push(index);
      texts.push(text);
      chunkBytes += bytes;
    }
    flush();
  }
  return publications;
}

function isGatewayRefusal(kind: string): kind is GatewayRefusalKind {
  return kind !== "queued" && (gatewayOutcomeKinds as readonly string[]).includes(kind);
}

export type GatewayOutcomeCounts = Record<GatewayOutcomeKind, number>;

export function emptyGatewayOutcomeCounts(): GatewayOutcomeCounts {
  return Object.fromEntries(gatewayOutcomeKinds.map((kind) => [kind, 0])) as GatewayOutcomeCounts;
}
