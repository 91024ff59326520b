/**
 * The MQTT broker that integration tests use: `CIVIC_TEST_MQTT_URL`, else the Mosquitto that
 * `.ci/run` starts on this machine. Each test works under a topic prefix and client ids of its
 * own, so test files run in parallel against one broker. Test code only (not built).
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import {
  freePort,
  type PrivateServer,
  programPath,
  serviceOrSkip,
  startPrivateServer,
} from "./services.js";

export const mqttTestUrlDefault = "mqtt://127.0.0.1:1883";
export const mqttTestUrlVariable = "CIVIC_TEST_MQTT_URL";

export function mqttTestUrl(): string {
  return process.env[mqttTestUrlVariable] || mqttTestUrlDefault;
}

/** Whether the test broker answers; see `serviceOrSkip` for what happens when it does not. */
export function mqttForTests(url: string = mqttTestUrl()): Promise<boolean> {
  return serviceOrSkip(
    "MQTT broker",
    url,
    async () => {
      const client = await mqtt.connectAsync(url, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 3_000,
      });
      await client.endAsync();
    },
    { enable: `start Mosquitto (bash .ci/run does) or set ${mqttTestUrlVariable}` },
  );
}

/** A name no other test uses, for topic prefixes and client ids. */
export function uniqueTestName(purpose: string): string {
  return `civic-test-${purpose}-${randomBytes(5).toString("hex")}`;
}

/** A client that publishes at QoS 1 and waits for the broker's acknowledgement. */
export function connectPublisher(url: string = mqttTestUrl()): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
}

/** Ends a persistent session the tests left on the broker (a clean start that expires at once). */
export async function removeSession(clientId: string, url: string = mqttTestUrl()): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
    properties: { sessionExpiryInterval: 0 },
  });
  await client.endAsync();
}

/** Mosquitto's program: on the PATH, else where Debian puts it. */
export function mosquittoProgram(): string {
  return programPath("mosquitto");
}

/** A private broker's `stop` saves its sessions first, and `start` takes them up again. */
export type PrivateBroker = PrivateServer;

/** How many probes a private broker may fail while it starts. */
const brokerAnswerAttemptsMax = 100;

/**
 * A Mosquitto of the test's own on a free port, keeping sessions in `directory`, for tests that
 * restart the broker (never the shared one).
 */
export async function startPrivateBroker(
  directory: string,
  { allowAnonymous = true }: Readonly<{ allowAnonymous?: boolean }> = {},
): Promise<PrivateBroker> {
  const port = await freePort();
  const configPath = join(directory, "mosquitto.conf");
  writeFileSync(
    configPath,
    [
      `listener ${port} 127.0.0.1`,
      `allow_anonymous ${allowAnonymous}`,
      "persistence true",
      `persistence_location ${directory}/`,
      "log_dest none",
      // As root, Mosquitto would become user mosquitto, who cannot write the test's folder.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      "",
    ].join("\n"),
  );
  return startPrivateServer({
    program: "mosquitto",
    programArguments: ["-c", configPath],
    url: `mqtt://127.0.0.1:${port}`,
    answers: brokerAnswers,
    answerAttemptsMax: brokerAnswerAttemptsMax,
  });
}

async function brokerAnswers(url: string): Promise<void> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 });
    await client.endAsync();
  } catch (error) {
    // A CONNACK refusal (a reason code) is an answer: the broker runs and refuses anonymous
    // clients.
    if (typeof (error as { code?: unknown }).code === "number") return;
    throw error;
  }
}
