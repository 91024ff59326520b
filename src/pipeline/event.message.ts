import { createHash } from "node:crypto";
import type { BatchItem } from "../core/batch.js";
import { decodeEvent, type EarlyRefusal } from "../ingest/ingest.service.js";

/**
 * One stream message: events of one source for one partition, as the source sent them, in the
 * order it sent them. The gateway puts the events of a request that share a partition into as
 * few messages as the limits below allow: JetStream's cost is per message, not per byte, and a
 * message per event would cap the pipeline at a few thousand events a second. The worker
 * decodes each event with the same `decodeEvent` as every other input, so an event gets the
 * same outcome whichever way it came in.
 */
export type EventMessage = Readonly<{ source: string; events: readonly unknown[] }>;

/** Events in one message at most: one message never makes more than one ledger batch. */
export const messageEventsMax = 1_000;
/** Encoded bytes of one message at most (NATS refuses more than its max_payload, 1 MiB). */
export const messageBytesMax = 512 * 1024;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeEventMessage(message: EventMessage): Uint8Array {
  return encodeSerializedEvents(
    message.source,
    message.events.map((event) => JSON.stringify(event)),
  );
}

/** The message of events already serialized one by one (each JSON text is kept as it is). */
export function encodeSerializedEvents(source: string, events: readonly string[]): Uint8Array {
  return utf8.encode(`{"source":${JSON.stringify(source)},"events":[${events.join(",")}]}`);
}

/** One event's identity in a message: its id and the hash of its report. */
export type EventKey = Readonly<{ eventId: string; payloadHash: string }>;

/**
 * The stream's idempotency key of a message (`Nats-Msg-Id`): the same events from the same
 * source sent again within the stream's duplicate window (a client retrying a request) are
 * stored once. The payload hashes are part of it, so a reused id with a different report still
 * reaches the worker and is refused there.
 */
export function eventMessageId(source: string, keys: readonly EventKey[]): string {
  const hash = createHash("sha256").update(source);
  for (const { eventId, payloadHash } of keys) hash.update(`\u0000${eventId}\u0000${payloadHash}`);
  return hash.digest("base64url").slice(0, 32);
}

/** One event of a message: ready for the ledger, or refused by its shape. */
export type MessageEvent = Readonly<{ eventId: string; decoded: BatchItem | EarlyRefusal }>;

/** A stream message the worker can commit (each event decoded or refused), or cannot read. */
export type DecodedMessage =
  | Readonly<{ kind: "events"; source: string; events: readonly MessageEvent[] }>
  | Readonly<{ kind: "unreadable"; reason: string }>;

/**
 * Reads a stream message. A message the gateway wrote always reads; another publisher's may
 * not, and is answered as unreadable rather than stopping the partition behind it.
 */
export function decodeEventMessage(data: Uint8Array): DecodedMessage {
  let value: unknown;
  try {
    value = JSON.parse(utf8Decoder.decode(data));
  } catch (error) {
    return { kind: "unreadable", reason: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "unreadable", reason: "not a JSON object" };
  }
  const { source, events } = value as Record<string, unknown>;
  if (typeof source !== "string" || source === "") {
    return { kind: "unreadable", reason: "no source name" };
  }
  if (!Array.isArray(events) || events.length === 0 || events.length > messageEventsMax) {
    return { kind: "unreadable", reason: `not a list of 1 to ${messageEventsMax} events` };
  }
  return {
    kind: "events",
    source,
    events: events.map((event) => {
      const decoded = decodeEvent(event);
      return { eventId: "kind" in decoded ? claimedEventId(event) : decoded.event.id, decoded };
    }),
  };
}

/** The id an event claims, for reports about an event that did not decode. */
function claimedEventId(event: unknown): string {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : "";
}
