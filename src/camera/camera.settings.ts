import { batchEventsMax } from "../core/batch.js";
import { messageBytesMaxDefault } from "./camera.message.js";
import { isTopicPrefix } from "./camera.topic.js";

/** The MQTT client id, which names the broker's persistent session for the gateway. */
export const clientIdDefault = "civic-camera-gateway";
export const batchMessagesMaxDefault = 1_000;
export const batchMillisecondsDefault = 200;
export const batchMillisecondsMax = 60_000;
export const reconnectMillisecondsDefault = 1_000;
export const reportMillisecondsDefault = 60_000;
/** How long the broker keeps the session (and queues messages) while the gateway is away. */
export const sessionExpirySecondsDefault = 7 * 24 * 60 * 60;
/** The largest message the gateway takes at all; `messageBytesMax` is at most this. */
export const messageBytesMaxMax = 1024 * 1024;

/** What the gateway is configured with; every field has a default. */
export type GatewayTuning = Readonly<{
  clientId?: string;
  /** Topics are `<prefix>cameras/<camera id>/infractions`; a prefix ends in `/`. */
  topicPrefix?: string;
  /** A batch is committed at this many messages... */
  batchMessagesMax?: number;
  /** ...or this long after its first message, whichever comes first. */
  batchMilliseconds?: number;
  messageBytesMax?: number;
  reconnectMilliseconds?: number;
  /** The counters are logged this often; 0: only when the gateway stops. */
  reportMilliseconds?: number;
  sessionExpirySeconds?: number;
}>;

export type GatewaySettings = Required<GatewayTuning> &
  Readonly<{
    /** Messages held at most: the batch being committed and the next one filling up. */
    heldMax: number;
  }>;

/** The tuning with its defaults, checked: a bad value is a programmer error (the CLI checks flags). */
export function gatewaySettings(tuning: GatewayTuning): GatewaySettings {
  const settings: Required<GatewayTuning> = {
    clientId: tuning.clientId ?? clientIdDefault,
    topicPrefix: tuning.topicPrefix ?? "",
    batchMessagesMax: tuning.batchMessagesMax ?? batchMessagesMaxDefault,
    batchMilliseconds: tuning.batchMilliseconds ?? batchMillisecondsDefault,
    messageBytesMax: tuning.messageBytesMax ?? messageBytesMaxDefault,
    reconnectMilliseconds: tuning.reconnectMilliseconds ?? reconnectMillisecondsDefault,
    reportMilliseconds: tuning.reportMilliseconds ?? reportMillisecondsDefault,
    sessionExpirySeconds: tuning.sessionExpirySeconds ?? sessionExpirySecondsDefault,
  };
  const requireWhole = (name: keyof GatewayTuning, minimum: number, maximum: number) => {
    const value = settings[name];
    if (
      !(Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum)
    ) {
      throw new Error(`${name} must be a whole number from ${minimum} to ${maximum}, not ${value}`);
    }
  };
  requireWhole("batchMessagesMax", 1, batchEventsMax);
  requireWhole("batchMilliseconds", 0, batchMillisecondsMax);
  requireWhole("messageBytesMax", 1, messageBytesMaxMax);
  requireWhole("reconnectMilliseconds", 1, 3_600_000);
  requireWhole("reportMilliseconds", 0, 86_400_000);
  requireWhole("sessionExpirySeconds", 0, 0xffff_ffff);
  if (settings.clientId === "") throw new Error("clientId must not be empty");
  if (!isTopicPrefix(settings.topicPrefix)) {
    throw new Error(`topicPrefix '${settings.topicPrefix}' must be topic levels ending in /`);
  }
  return { ...settings, heldMax: 2 * settings.batchMessagesMax };
}
