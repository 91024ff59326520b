import { jetstreamManager } from "@nats-io/jetstream";
import { type Command, Option } from "commander";
import type { App } from "../../api/app.js";
import { type LogLevel, logLevels, serverLoggerOptions } from "../../api/logger.js";
import { ensureEventStream, TopologyMismatchError } from "../../pipeline/event.stream.js";
import { buildGatewayApp } from "../../pipeline/gateway.app.js";
import { createEventPublisher } from "../../pipeline/gateway.publisher.js";
import {
  type NatsLink,
  natsConnectTimeoutMilliseconds,
  openNatsLink,
} from "../../pipeline/nats.link.js";
import type { PipelineTopology } from "../../pipeline/pipeline.topology.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { wholeNumberOption } from "../options.js";
import { type PipelineFlags, pipelineOptions, topologyOf } from "../pipeline-options.js";
import {
  ledgerLocationOf,
  notInitialisedError,
  openLedgerStore,
  storeOption,
} from "../store-option.js";
import { hostDefault, listen, stopSignal } from "./serve.command.js";

export const gatewayPortDefault = 8090;

type GatewayFlags = PipelineFlags &
  Readonly<{ host: string; port: number; logLevel: LogLevel; trustProxy: boolean }>;

export function registerGatewayCommand(program: Command, cli: CliContext): void {
  const command = program
    .command("gateway")
    .description(
      "take events over HTTP (POST /v1/events) into the NATS JetStream stream the workers consume",
    )
    .addOption(
      new Option("--host <host>", "the address to listen on")
        .env("CIVIC_HOST")
        .default(hostDefault),
    )
    .addOption(
      new Option("--port <n>", "the TCP port; 0 picks a free one")
        .env("CIVIC_GATEWAY_PORT")
        .argParser(wholeNumberOption(0, 65_535))
        .default(gatewayPortDefault),
    )
    .addOption(
      new Option("--log-level <level>", "request log level")
        .env("CIVIC_LOG_LEVEL")
        .choices(logLevels)
        .default("info"),
    )
    .addOption(
      new Option(
        "--trust-proxy",
        "behind a TLS-terminating reverse proxy: take the client's address from X-Forwarded-For",
      )
        .env("CIVIC_TRUST_PROXY")
        .default(false),
    )
    .addOption(storeOption());
  for (const option of pipelineOptions()) command.addOption(option);
  command
    .addHelpText(
      "after",
      `
The gateway answers POST /v1/events as \`civic serve\` does (the same body, source keys and
refusals), but it does not price events: each valid event is stored in the stream, in the
partition of its subject id, and answered \`queued\` with its stream position only once
JetStream has stored it. \`civic worker\` then commits it to the ledger. Refusals the gateway
can decide at once (invalid_field, occurred_in_future, unknown_event_type,
source_not_authorised_for_type) are answered as by the API; the rest (unknown_subject,
id_reused_with_different_payload, duplicate) are decided by the worker, which reports them.
While NATS is unreachable or the stream is full, a batch is refused with 503 (problem+json,
code not_ready, Retry-After); it recovers by itself once NATS is back. Resending a batch is
always safe. It reads the ledger (--store) only for keys, sources and the current rulebook.
Also served: /healthz, /readyz, /metrics and the OpenAPI document at /docs.

Examples:
  $ civic gateway
  $ civic gateway --store postgres://civic@db:5432/civic --nats nats://nats:4222 --port 9000
  $ civic gateway --stream CIVIC_EVENTS --partition-count 16

Exit codes: 0 stopped cleanly, 2 usage error (the port is taken, the stream has another
partition count), 4 not initialised, 6 storage error.`,
    )
    .action(async (options: GatewayFlags, command: Command) => {
      await runGateway(cli, options, command);
    });
}

async function runGateway(cli: CliContext, options: GatewayFlags, command: Command) {
  const location = ledgerLocationOf(command);
  const topology = topologyOf(command);
  const { store, name } = await openLedgerStore({ location });
  const stopped = stopSignal();
  let app: App | undefined;
  const link = openNatsLink({
    servers: options.nats,
    name: "civic-gateway",
    onEvent: (event) => cli.io.stdout(`civic: ${event.message}\n`),
  });
  try {
    if ((await store.currentRulebook()) === undefined) throw notInitialisedError(location);
    await checkStream(cli, link, topology);
    app = await buildGatewayApp({
      store,
      clock: cli.clock,
      publisher: createEventPublisher({ link, topology }),
      topology,
      logger: serverLoggerOptions(options.logLevel),
      trustProxy: options.trustProxy,
    });
    const url = await listen(app, options);
    cli.io.stdout(
      `civic: gateway at ${url} (ledger ${name}): events go to the stream ${topology.stream}, ${topology.partitionCount} partitions, at ${options.nats}\n`,
    );
    const signal = await stopped.received;
    cli.io.stdout(`civic: ${signal}: finishing requests in flight\n`);
    const closing = app;
    app = undefined;
    await closing.close();
    cli.io.stdout("civic: stopped\n");
  } finally {
    stopped.dispose();
    await app?.close();
    await link.close();
    await store.close();
  }
  cli.exitCode = exitCodes.ok;
}

/**
 * When NATS answers at start, the stream is created or checked now: a gateway started with
 * another partition count than the stream has would split subjects differently than the rest,
 * so it refuses to start. When NATS does not answer yet, the first request checks it.
 */
async function checkStream(
  cli: CliContext,
  link: NatsLink,
  topology: PipelineTopology,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const connection = await Promise.race([
    link.connected(),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), natsConnectTimeoutMilliseconds);
    }),
  ]);
  clearTimeout(timer);
  if (!connection) return;
  try {
    await ensureEventStream(await jetstreamManager(connection), topology);
  } catch (error) {
    if (error instanceof TopologyMismatchError) throw new CliError(exitCodes.usage, error.message);
    // JetStream off, or no permission: requests say so (503) until it is fixed.
    cli.io.stderr(
      `civic: the stream ${topology.stream} cannot be used yet: ${(error as Error).message}\n`,
    );
  }
}
