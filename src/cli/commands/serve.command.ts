import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type App, buildApp } from "../../api/app.js";
import { type LogLevel, logLevels, serverLoggerOptions } from "../../api/logger.js";
import { startMaintenance } from "../../ledger/maintenance.js";
import { sqliteDatabasePath } from "../../store/sqlite/sqlite.store.js";
import { commandAuditLine } from "../audit.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { defaultRulebookAudit, initialiseLedger } from "../initialise.js";
import { wholeNumberOption } from "../options.js";
import { packageRoot } from "../package-root.js";
import { adminKeyPath, ensureAdminKey } from "../serve/admin-key.js";
import { announceDemo, planDemo, seedDemo } from "../serve/demo.js";
import { loadSessionSecret } from "../serve/session-secret.js";
import { ledgerLocationOf, openLedgerStore, storeOption } from "../store-option.js";

export const hostDefault = "127.0.0.1";
export const portDefault = 8080;
/** The web app as `npm run build` leaves it (vite's output folder). */
export const webRoot = join(packageRoot, "dist", "web");

type ServeFlags = Readonly<{
  host: string;
  port: number;
  logLevel: LogLevel;
  trustProxy: boolean;
  demo: boolean;
}>;

export function registerServeCommand(program: Command, cli: CliContext): void {
  program
    .command("serve")
    .description("run the HTTP API, the web app and the OpenAPI docs (/docs) on the data folder")
    .addOption(
      new Option("--host <host>", "the address to listen on")
        .env("CIVIC_HOST")
        .default(hostDefault),
    )
    .addOption(
      new Option("--port <n>", "the TCP port; 0 picks a free one")
        .env("CIVIC_PORT")
        .argParser(wholeNumberOption(0, 65_535))
        .default(portDefault),
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
        "behind a TLS-terminating reverse proxy: take the client's address and protocol from X-Forwarded-For and X-Forwarded-Proto",
      )
        .env("CIVIC_TRUST_PROXY")
        .default(false),
    )
    .addOption(storeOption())
    .option("--no-demo", "start a fresh data folder empty instead of seeding the demo city")
    .addHelpText(
      "after",
      `
With --store postgres://..., the ledger is kept in that PostgreSQL database (in the schema the
URL's schema parameter names, civic by default), migrated on start; the data folder still keeps
the admin key and the session secret, and the demo city is not seeded there.
A fresh data folder is initialised (the default rulebook is published) and gets an admin key,
written once to <data>/admin-key.txt (mode 0600); only its hash is stored. The session secret
that signs citizens' sign-ins is kept in <data>/session-secret. Unless --no-demo, a fresh folder
is seeded with a simulated demo city (5,000 subjects, 12 regions, 180 days up to now, audited)
and the server prints ready-made sign-ins: a citizen with a history, a reviewer key and a
partner key (kept in <data>/demo-sign-ins.txt, mode 0600). A restart never seeds again.
Logs are JSON lines on stdout, one per request, without keys, tokens or subject ids.
SIGTERM or SIGINT stops the server: requests in flight finish, then the database closes.

Examples:
  $ civic serve
  $ civic serve --data /var/lib/civic --host 0.0.0.0 --port 9000 --no-demo
  $ CIVIC_PORT=9000 npm start
  $ civic serve --store postgres://civic@127.0.0.1:5432/civic --no-demo

Exit codes: 0 stopped cleanly, 2 usage error (e.g. the port is taken), 6 storage error.`,
    )
    .action(async (options: ServeFlags, command: Command) => {
      const location = ledgerLocationOf(command);
      const { dataDirectory } = location;
      await mkdir(dataDirectory, { recursive: true, mode: 0o700 });
      const databasePath = sqliteDatabasePath(dataDirectory);
      const opened = await openLedgerStore({ location, create: true });
      const served = opened.sqlite ? dataDirectory : opened.name;
      const { store } = opened;
      // Listening from here on: a signal during startup stops the server once it is up.
      const stopped = stopSignal();
      let app: App | undefined;
      try {
        const now = cli.clock();
        const demo = opened.sqlite
          ? await planDemo(opened.sqlite, { enabled: options.demo, now })
          : { seed: false, initialiseAt: now };
        if (options.demo && !opened.sqlite && (await store.currentRulebook()) === undefined) {
          cli.io.stdout(
            "civic: the demo city is seeded only into SQLite; this store starts empty\n",
          );
        }
        const { current, published } = await initialiseLedger(store, {
          at: demo.initialiseAt,
          by: "civic serve",
          audit: defaultRulebookAudit("serve"),
        });
        if (published)
          cli.io.stdout(`published the default rulebook as version ${current.version}\n`);
        const keyPath = await ensureAdminKey(store, {
          dataDirectory,
          at: cli.clock(),
          audit: (created) =>
            commandAuditLine("serve", {
              action: "credential.create",
              target: `credential:${created.keyId}`,
              details: { role: created.role, principal: created.principal },
            }),
        });
        if (keyPath) {
          cli.io.stdout(`admin key written to ${keyPath} (mode 0600); it is not shown again\n`);
        }
        const city =
          demo.seed && opened.sqlite
            ? await seedDemo(opened.sqlite, { cli, databasePath, now })
            : undefined;
        app = await buildApp({
          store,
          clock: cli.clock,
          sessionSecret: await loadSessionSecret(dataDirectory),
          logger: serverLoggerOptions(options.logLevel),
          trustProxy: options.trustProxy,
          webRoot,
        });
        const log = app.log;
        const url = await listen(app, options);
        const maintenance = startMaintenance({
          store,
          clock: cli.clock,
          onError: (error) => log.error({ err: error }, "maintenance failed"),
          onReport: (report) => {
            if (report.appealsDecided > 0 || report.entriesExpired > 0)
              log.info(report, "maintenance");
          },
        });
        cli.io.stdout(`civic: serving ${served} at ${url} (docs at ${url}/docs)\n`);
        cli.io.stdout(
          `civic: the web app is at ${url}/ and the operator console at ${url}/console\n`,
        );
        await announceDemo(cli, city, {
          url,
          dataDirectory,
          adminKeyPath: keyPath ?? adminKeyPath(dataDirectory),
        });
        const signal = await stopped.received;
        cli.io.stdout(`civic: ${signal}: finishing requests in flight\n`);
        await maintenance.stop();
        // Drains: stops accepting, lets requests in flight finish, closes idle connections.
        const closing = app;
        app = undefined;
        await closing.close();
        cli.io.stdout("civic: stopped\n");
      } finally {
        stopped.dispose();
        await app?.close();
        // Only after every request has finished: nothing in flight is lost.
        await store.close();
      }
      cli.exitCode = exitCodes.ok;
    });
}

/** Listens on `host:port`; a port taken or not allowed is a usage error. Answers the URL. */
export async function listen(
  app: App,
  options: Pick<ServeFlags, "host" | "port">,
): Promise<string> {
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new CliError(
        exitCodes.usage,
        `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`,
      );
    }
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The first SIGTERM or SIGINT; `dispose` stops listening (a later one kills the process). */
export function stopSignal(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
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
