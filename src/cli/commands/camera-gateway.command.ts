import { type Command, InvalidArgumentError, Option } from "commander";
import { pino } from "pino";
import { collectDefaultMetrics } from "prom-client";
import { type LogLevel, logLevels } from "../../api/logger.js";
import { isOperatingError } from "../../camera/camera.commit.js";
import {
  CameraCounters,
  type CameraCounts,
  formatCameraCounts,
} from "../../camera/camera.counters.js";
import { type CameraGateway, startCameraGateway } from "../../camera/camera.gateway.js";
import { messageBytesMaxDefault } from "../../camera/camera.message.js";
import { BrokerRefusalError, redactMqttUrl } from "../../camera/camera.mqtt.js";
import {
  batchMessagesMaxDefault,
  batchMillisecondsDefault,
  batchMillisecondsMax,
  clientIdDefault,
  messageBytesMaxMax,
  reportMillisecondsDefault,
  sessionExpirySecondsDefault,
} from "../../camera/camera.settings.js";
import { cameraTopicFilter, isTopicPrefix } from "../../camera/camera.topic.js";
import { type MetricsServer, serveMetrics } from "../../camera/metrics.server.js";
import { batchEventsMax } from "../../core/batch.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { parseNameArgument, wholeNumberOption } from "../options.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";

const mqttProtocols = ["mqtt:", "mqtts:", "tcp:", "ssl:", "ws:", "wss:"];

type GatewayFlags = Readonly<{
  mqtt: string;
  clientId: string;
  topicPrefix: string;
  batchSize: number;
  batchMilliseconds: number;
  messageBytesMax: number;
  reportSeconds: number;
  metricsPort?: number;
  metricsHost: string;
  logLevel: LogLevel;
}>;

export function registerCameraGatewayCommand(program: Command, cli: CliContext): void {
  program
    .command("camera-gateway")
    .description(
      "feed camera infractions from an MQTT broker (cameras/<camera id>/infractions) into the ledger",
    )
    .addOption(
      new Option("--mqtt <url>", "the broker: mqtt://host:1883 or mqtts://user:password@host:8883")
        .env("CIVIC_MQTT_URL")
        .argParser(parseMqttUrl)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--client-id <id>",
        "the MQTT client id: names the broker's session for the gateway",
      )
        .env("CIVIC_MQTT_CLIENT_ID")
        .argParser(parseNameArgument)
        .default(clientIdDefault),
    )
    .addOption(
      new Option("--topic-prefix <levels>", "topics are <levels>cameras/<camera id>/infractions")
        .argParser(parseTopicPrefix)
        .default(""),
    )
    .addOption(
      new Option("--batch-size <n>", "messages per committed batch at most")
        .argParser(wholeNumberOption(1, batchEventsMax))
        .default(batchMessagesMaxDefault),
    )
    .addOption(
      new Option(
        "--batch-milliseconds <n>",
        "a batch is committed this long after its first message at most",
      )
        .argParser(wholeNumberOption(0, batchMillisecondsMax))
        .default(batchMillisecondsDefault),
    )
    .addOption(
      new Option("--message-bytes-max <n>", "larger messages are refused as too_large")
        .argParser(wholeNumberOption(256, messageBytesMaxMax))
        .default(messageBytesMaxDefault),
    )
    .addOption(
      new Option("--report-seconds <n>", "log the counters this often; 0: only at the end")
        .argParser(wholeNumberOption(0, 86_400))
        .default(reportMillisecondsDefault / 1_000),
    )
    .addOption(
      new Option(
        "--metrics-port <n>",
        "serve Prometheus metrics at http://<metrics host>:<n>/metrics (0 picks a free port)",
      )
        .env("CIVIC_METRICS_PORT")
        .argParser(wholeNumberOption(0, 65_535)),
    )
    .addOption(
      new Option("--metrics-host <host>", "the address the metrics listen on").default("127.0.0.1"),
    )
    .addOption(
      new Option("--log-level <level>", "log level")
        .env("CIVIC_LOG_LEVEL")
        .choices(logLevels)
        .default("info"),
    )
    .addOption(storeOption())
    .addHelpText("after", helpText)
    .action(async (options: GatewayFlags, command: Command) => {
      const location = ledgerLocationOf(command);
      await withLedger(location, async ({ store }) => {
        const counters = new CameraCounters();
        const metrics = await startMetrics(counters, options);
        const stopped = stopSignal();
        try {
          const gateway = startCameraGateway({
            url: options.mqtt,
            store,
            clock: cli.clock,
            log: pino(
              { level: options.logLevel },
              { write: (line: string) => cli.io.stdout(line) },
            ),
            counters,
            clientId: options.clientId,
            topicPrefix: options.topicPrefix,
            batchMessagesMax: options.batchSize,
            batchMilliseconds: options.batchMilliseconds,
            messageBytesMax: options.messageBytesMax,
            reportMilliseconds: options.reportSeconds * 1_000,
          });
          cli.io.stdout(
            `civic: camera gateway: ${redactMqttUrl(options.mqtt)}, topic ${cameraTopicFilter(options.topicPrefix)}, client id ${options.clientId}${metrics ? `, metrics at ${metrics.url}` : ""}\n`,
          );
          const counts = await runUntilStopped(cli, gateway, stopped.received);
          cli.io.stdout(`civic: stopped: ${formatCameraCounts(counts)}\n`);
        } finally {
          stopped.dispose();
          await metrics?.close();
        }
      });
      cli.exitCode = exitCodes.ok;
    });
}

const helpText = `
Each message is one event, as JSON, in the shape POST /v1/events takes, published by the camera
on cameras/<camera id>/infractions; the camera id is a source of kind camera:
  $ civic source add crossing-cam-7 --kind camera --types traffic.red_light
  topic cameras/crossing-cam-7/infractions, message
  {"id":"cam7-000123","subject":"c-001","type":"traffic.red_light","occurredAt":"2026-03-01T08:30:00Z",
   "confidence":0.97,"evidence":{"description":"Signal red for 3 s","reference":"CAM7-000123"}}
A camera must state its confidence; one below the rulebook's threshold waits for a reviewer.

Guarantees: messages are committed in batches (--batch-size messages or --batch-milliseconds,
whichever comes first) and a QoS 1 message is acknowledged only after its batch committed. A
crash or a restart of the gateway loses nothing a camera published at QoS 1: the broker keeps
the gateway's session (--client-id; asked for ${sessionExpirySecondsDefault / 86_400} days) and sends what was not acknowledged
again, and the ledger answers a repeated event (same camera, same id) as a duplicate, never
counting it twice. The broker must keep sessions across its own restarts and queue enough for
an outage (Mosquitto: persistence true; max_queued_messages, 1000 by default, drops the rest).
Run one gateway per client id.
Malformed, oversized and unknown-camera messages are counted, logged (at most 100 lines a
minute) and acknowledged; they never stop the gateway. When the broker goes away the gateway
reconnects every second.
Counters: received, accepted (of which pending review), duplicate, refused, malformed: logged as
JSON every --report-seconds and printed at the end; with --metrics-port also as Prometheus
metrics (civic_camera_messages_total{result,outcome} and more).
SIGTERM or SIGINT stops it: the current batch is committed and acknowledged first; what arrives
after the signal stays with the broker. A second signal stops at once (nothing is lost either).

Examples:
  $ civic camera-gateway --mqtt mqtt://127.0.0.1:1883
  $ civic camera-gateway --mqtt mqtts://gateway:secret@broker.example:8883 --metrics-port 9464
  $ civic camera-gateway --mqtt mqtt://broker:1883 --topic-prefix region-north/ --client-id gateway-north

Exit codes: 0 stopped by a signal, 2 usage error (a bad flag, the broker refused the gateway),
4 not initialised, 6 storage error (a commit failed; unacknowledged messages stay with the broker).`;

async function runUntilStopped(
  cli: CliContext,
  gateway: CameraGateway,
  signalled: Promise<NodeJS.Signals>,
): Promise<CameraCounts> {
  const first = await Promise.race([
    signalled.then((signal) => ({ signal })),
    gateway.stopped.then(
      () => ({ error: new Error("the camera gateway stopped by itself") }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ("signal" in first) {
    cli.io.stdout(`civic: ${first.signal}: committing the current batch\n`);
    try {
      return await gateway.stop();
    } catch (error) {
      throw gatewayFailure(error);
    }
  }
  throw gatewayFailure(first.error);
}

/** A broker's refusal is the operator's to fix (exit 2); a failed commit a storage error (6). */
function gatewayFailure(error: unknown): unknown {
  if (error instanceof BrokerRefusalError) return new CliError(exitCodes.usage, error.message);
  if (isOperatingError(error)) {
    return new CliError(
      exitCodes.storage,
      `storage error: ${(error as Error).message}; the unacknowledged messages stay with the broker`,
    );
  }
  return error;
}

async function startMetrics(
  counters: CameraCounters,
  options: GatewayFlags,
): Promise<MetricsServer | undefined> {
  if (options.metricsPort === undefined) return undefined;
  collectDefaultMetrics({ register: counters.registry });
  try {
    return await serveMetrics(counters.registry, {
      host: options.metricsHost,
      port: options.metricsPort,
    });
  } catch (error) {
    throw new CliError(
      exitCodes.usage,
      `cannot serve metrics on ${options.metricsHost}:${options.metricsPort}: ${(error as Error).message}`,
    );
  }
}

function parseMqttUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected a broker URL such as mqtt://127.0.0.1:1883.");
  }
  if (!mqttProtocols.includes(url.protocol) || url.hostname === "") {
    throw new InvalidArgumentError(
      `expected a broker URL starting with ${mqttProtocols.map((protocol) => `${protocol}//`).join(", ")}, e.g. mqtt://127.0.0.1:1883.`,
    );
  }
  return value;
}

function parseTopicPrefix(value: string): string {
  if (!isTopicPrefix(value)) {
    throw new InvalidArgumentError(
      "expected topic levels ending in /, without + or #, e.g. region-north/.",
    );
  }
  return value;
}

/** The first SIGTERM or SIGINT; `dispose` stops listening (a later one ends the process). */
function stopSignal(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let resolveSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveSignal = resolve;
  });
  const stop = (signal: NodeJS.Signals) => {
    dispose();
    resolveSignal(signal);
  };
  const dispose = () => {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return { received, dispose };
}
