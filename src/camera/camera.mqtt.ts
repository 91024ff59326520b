/**
 * What the gateway needs from MQTT.js beyond its documented surface: holding a QoS 1 message's
 * PUBACK until its batch is committed.
 *
 * MQTT.js hands each QoS 1 PUBLISH to `customHandleAcks` (MQTT 5 only) and reads the next packet
 * only once the handler's callback is called; it then sends the PUBACK at once. Holding the
 * callback until a commit would stop the connection after one message (no batches, no pings).
 * So the handler answers at once with `deferredAcknowledgement`: MQTT.js documents that an
 * error sends no PUBACK (it emits the error, which the gateway ignores), and reads on. After the
 * commit, `sendPuback` writes the PUBACK through the client's own packet writer, exactly as
 * MQTT.js's handler would have. That writer is internal: `assertPacketWriter` checks it at
 * start, and the gateway's integration test proves the whole contract (no PUBACK before the
 * commit, redelivery after a crash) against a real broker.
 */
import { type ErrorWithReasonCode, type MqttClient, ReasonCodes } from "mqtt";

/** The value `customHandleAcks` answers with: no PUBACK now, the gateway sends it later. */
export const deferredAcknowledgement: Error = new Error(
  "PUBACK deferred until the message's batch is committed",
);

type PubackPacket = Readonly<{ cmd: "puback"; messageId: number; reasonCode: number }>;
type PacketWriter = Readonly<{
  _sendPacket?: (packet: PubackPacket, callback?: (error?: Error) => void) => void;
}>;

/** Fails at start, not at the first commit, if the MQTT.js in use no longer has the writer. */
export function assertPacketWriter(client: MqttClient): void {
  if (typeof (client as unknown as PacketWriter)._sendPacket !== "function") {
    throw new Error(
      "this MQTT.js has no _sendPacket: the camera gateway cannot acknowledge after commit",
    );
  }
}

/** Sends one PUBACK on the client's current connection. */
export function sendPuback(client: MqttClient, messageId: number, reasonCode: number): void {
  const writer = (client as unknown as PacketWriter)._sendPacket;
  writer?.call(client, { cmd: "puback", messageId, reasonCode });
}

/**
 * CONNACK reason codes that another attempt will not change: the gateway stops. Others (server
 * unavailable, busy, shutting down, rate limits) are retried.
 */
const fatalConnackCodes: ReadonlySet<number> = new Set([
  0x84, // Unsupported Protocol Version: the broker does not speak MQTT 5
  0x85, // Client Identifier not valid
  0x86, // Bad User Name or Password
  0x87, // Not authorized
  0x8a, // Banned
  0x8c, // Bad authentication method
]);

/** A broker's refusal that the operator must fix (credentials, ACL, protocol version). */
export class BrokerRefusalError extends Error {
  override readonly name = "BrokerRefusalError";
}

/** The refusal, when `error` is a CONNACK refusal that retrying will not change. */
export function fatalConnackRefusal(error: Error): BrokerRefusalError | undefined {
  const code = (error as Partial<ErrorWithReasonCode>).code;
  if (typeof code !== "number" || !fatalConnackCodes.has(code)) return undefined;
  return new BrokerRefusalError(`the broker refused the connection: ${reasonText(code)}`);
}

export function reasonText(code: number): string {
  const name = (ReasonCodes as Record<number, string | undefined>)[code];
  return `${name || "reason"} (0x${code.toString(16).padStart(2, "0")})`;
}

/** The broker's URL as it may be shown: without a password. */
export function redactMqttUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(not a URL)";
  }
}
