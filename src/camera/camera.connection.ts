import mqtt, { type IConnackPacket, type IPublishPacket, type MqttClient } from "mqtt";
import type { CameraCounters } from "./camera.counters.js";
import type { GatewayLog } from "./camera.log.js";
import {
  assertPacketWriter,
  BrokerRefusalError,
  deferredAcknowledgement,
  fatalConnackRefusal,
  reasonText,
  redactMqttUrl,
  sendPuback,
} from "./camera.mqtt.js";
import type { GatewaySettings } from "./camera.settings.js";
import { cameraTopicFilter } from "./camera.topic.js";

/** MQTT 5's largest Receive Maximum. */
const receiveMaximumMax = 65_535;
/**
 * Packets up to about this many times `messageBytesMax` reach the gateway and are counted as
 * too large; the broker drops larger ones unseen (MQTT 5 Maximum Packet Size).
 */
const packetBytesFactor = 4;
/** Room for the topic and properties beside the payload. */
const packetHeaderBytesMax = 65_536;
/** A connection attempt without a CONNACK after this long is given up and tried again. */
const connectTimeoutMilliseconds = 10_000;

/** Called for every message; the connection reads the next packet once `readOn` is called. */
export type MessageHandler = (
  topic: string,
  payload: Buffer,
  packet: IPublishPacket,
  readOn: () => void,
) => void;

export type BrokerConnectionOptions = Readonly<{
  url: string;
  settings: GatewaySettings;
  log: GatewayLog;
  counters: CameraCounters;
  onMessage: MessageHandler;
  /** Once, when the first subscription is in place. */
  onSubscribed: () => void;
  /** The broker refused what another attempt will not change: credentials, ACL, protocol. */
  onRefused: (refusal: BrokerRefusalError) => void;
}>;

/**
 * The gateway's MQTT 5 connection: a persistent session subscribed to every camera's topic,
 * reconnecting while the broker is away, with PUBACKs left to the gateway (`acknowledge`).
 */
export class BrokerConnection {
  readonly #options: BrokerConnectionOptions;
  readonly #client: MqttClient;
  readonly #shownUrl: string;
  readonly #topicFilter: string;
  #everSubscribed = false;
  #connected = false;
  #closing = false;
  #lastProblem = "";

  constructor(options: BrokerConnectionOptions) {
    this.#options = options;
    this.#shownUrl = redactMqttUrl(options.url);
    this.#topicFilter = cameraTopicFilter(options.settings.topicPrefix);
    this.#client = this.#createClient();
  }

  connect(): void {
    this.#client.connect();
  }

  /** The connection messages arrive on now; a PUBACK is valid only on its message's one. */
  get current(): unknown {
    return this.#client.stream;
  }

  /**
   * Sends a message's PUBACK when the connection it came on is still up; false otherwise: on a
   * later connection the same packet id may name another message, so the broker sends this
   * one again instead.
   */
  acknowledge(messageId: number, reasonCode: number, connection: unknown): boolean {
    if (!this.#client.connected || this.#client.stream !== connection) return false;
    sendPuback(this.#client, messageId, reasonCode);
    return true;
  }

  /** Disconnects; the session stays with the broker, which queues for the next gateway. */
  async close({ force }: Readonly<{ force: boolean }>): Promise<void> {
    this.#closing = true;
    await this.#client.endAsync(force || !this.#client.connected);
  }

  #createClient(): MqttClient {
    const { clientId, reconnectMilliseconds, sessionExpirySeconds, heldMax, messageBytesMax } =
      this.#options.settings;
    const { onMessage } = this.#options;
    const client = mqtt.connect(this.#options.url, {
      clientId,
      protocolVersion: 5,
      // A persistent session: the broker queues messages while the gateway is away.
      clean: false,
      manualConnect: true,
      reconnectPeriod: reconnectMilliseconds,
      reconnectOnConnackError: true,
      connectTimeout: connectTimeoutMilliseconds,
      queueQoSZero: false,
      properties: {
        sessionExpiryInterval: sessionExpirySeconds,
        receiveMaximum: Math.min(receiveMaximumMax, heldMax),
        maximumPacketSize: messageBytesMax * packetBytesFactor + packetHeaderBytesMax,
      },
      customHandleAcks: (topic, payload, packet: IPublishPacket, done) => {
        if (packet.qos === 1) {
          onMessage(topic, payload, packet, () => done(deferredAcknowledgement));
        } else {
          done(0);
          onMessage(topic, payload, packet, () => undefined);
        }
      },
    });
    assertPacketWriter(client);
    // QoS 0 messages never reach customHandleAcks; MQTT.js reads on once `readOn` is called.
    client.handleMessage = (packet, readOn) => {
      if (packet.qos === 0) onMessage(packet.topic, packet.payload as Buffer, packet, readOn);
      else readOn();
    };
    client.on("connect", (connack) => this.#onConnect(connack));
    client.on("close", () => this.#onClose());
    client.on("disconnect", (packet) => this.#onDisconnect(packet.reasonCode ?? 0));
    client.on("error", (error) => this.#onError(error));
    return client;
  }

  #onConnect(connack: IConnackPacket): void {
    const { log, counters, settings } = this.#options;
    const reconnection = this.#everSubscribed;
    this.#connected = true;
    this.#lastProblem = "";
    counters.connection(true);
    log.info(
      {
        broker: this.#shownUrl,
        clientId: settings.clientId,
        sessionPresent: connack.sessionPresent,
      },
      reconnection ? "reconnected to the broker" : "connected to the broker",
    );
    if (reconnection && !connack.sessionPresent) {
      log.warn(
        "the broker kept no session for the gateway: what was published while it was away is lost (keep sessions: persistence true in mosquitto.conf)",
      );
    }
    // On later connections MQTT.js subscribes again by itself when the session was lost.
    this.#client
      .subscribeAsync(this.#topicFilter, { qos: 1 })
      // No grant: MQTT.js knows the subscription already and renews it on its own.
      .then((grants) => this.#onSubscribed(grants[0]?.qos ?? 1))
      .catch((error: unknown) => {
        // The connection was lost before the SUBACK: the next connection subscribes again.
        log.debug({ err: error }, "subscription interrupted");
      });
  }

  #onSubscribed(granted: number): void {
    const { log, onRefused, onSubscribed } = this.#options;
    if (granted >= 0x80) {
      const reason = reasonText(granted);
      onRefused(
        new BrokerRefusalError(
          `the broker refused the subscription to ${this.#topicFilter}: ${reason}`,
        ),
      );
      return;
    }
    if (granted === 0) {
      log.warn(
        { topic: this.#topicFilter },
        "the broker granted QoS 0 only: messages are not sent again after a crash",
      );
    }
    if (this.#everSubscribed) return;
    this.#everSubscribed = true;
    log.info({ topic: this.#topicFilter }, "subscribed");
    onSubscribed();
  }

  #onClose(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#options.counters.connection(false);
    if (this.#closing) return;
    this.#options.log.warn(
      { broker: this.#shownUrl },
      `lost the connection to the broker; trying again every ${this.#options.settings.reconnectMilliseconds} ms`,
    );
  }

  #onDisconnect(code: number): void {
    const takenOver = code === 0x8e ? "; is another gateway using the same client id?" : "";
    this.#options.log.warn(
      { broker: this.#shownUrl, clientId: this.#options.settings.clientId },
      `the broker disconnected the gateway: ${reasonText(code)}${takenOver}`,
    );
  }

  #onError(error: Error): void {
    if (error === deferredAcknowledgement) return;
    const refusal = fatalConnackRefusal(error);
    if (refusal) {
      this.#options.onRefused(refusal);
      return;
    }
    // One line per new problem, not one per attempt while the broker is away.
    if (error.message === this.#lastProblem) return;
    this.#lastProblem = error.message;
    this.#options.log.warn(
      { broker: this.#shownUrl, err: error },
      "MQTT connection problem; trying again",
    );
  }
}
