import { isUtf8 } from "node:buffer";
import type { BatchItem } from "../core/batch.js";
import { decodeEvent, type EarlyRefusal } from "../ingest/ingest.service.js";
import { lineBytesMaxDefault } from "../ingest/ndjson.reader.js";

/** A message above this is refused as too large: the same bound as one NDJSON line. */
export const messageBytesMaxDefault = lineBytesMaxDefault;

/**
 * One camera message's payload (one event, as JSON, in the shape the HTTP API takes) as a batch
 * item, or why it cannot be one. The event is validated by the same schema as every other input.
 */
export function decodeCameraPayload(
  payload: Uint8Array,
  messageBytesMax: number = messageBytesMaxDefault,
): BatchItem | EarlyRefusal {
  if (payload.length > messageBytesMax) {
    return {
      kind: "too_large",
      message: `message is ${payload.length} bytes; an event may be at most ${messageBytesMax}`,
    };
  }
  if (!isUtf8(payload)) return { kind: "malformed_json", message: "message is not valid UTF-8" };
  let input: unknown;
  try {
    input = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString());
  } catch {
    // The parser's own message quotes the payload, which may hold a subject id: not for logs.
    return { kind: "malformed_json", message: "message is not valid JSON" };
  }
  return decodeEvent(input);
}
