import { mkdir } from "node:fs/promises";
import type { Command } from "commander";
import { openSqliteStore, sqliteDatabasePath } from "../../store/sqlite/sqlite.store.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { dataDirectoryOf } from "../data-folder.js";
import { exitCodes } from "../exit-codes.js";
import { initialiseLedger } from "../initialise.js";
import { printJson } from "../io.js";
import { jsonOption } from "../options.js";

export function registerInitCommand(program: Command, cli: CliContext): void {
  program
    .command("init")
    .description(
      "create the data folder and its database, and publish the default rulebook as version 1",
    )
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Running it again is harmless: an existing database and rulebook are kept.

Examples:
  $ civic init
  $ civic init --data /var/lib/civic
  $ CIVIC_DATA=/var/lib/civic civic init

Exit codes: 0 ok, 2 usage error, 70 internal error.`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const dataDirectory = dataDirectoryOf(command);
      try {
        await mkdir(dataDirectory, { recursive: true });
      } catch (error) {
        throw new CliError(
          exitCodes.usage,
          `cannot create the data folder ${dataDirectory}: ${(error as Error).message}`,
        );
      }
      const path = sqliteDatabasePath(dataDirectory);
      const store = openSqliteStore({ path });
      try {
        const { current, published } = await initialiseLedger(store, {
          at: cli.clock(),
          by: "civic init",
        });
        if (options.json) {
          printJson(cli.io, {
            dataDirectory,
            database: path,
            rulebookVersion: current.version,
            published,
          });
        } else {
          cli.io.stdout(
            published
              ? `initialised ${dataDirectory}: database ${path}, rulebook version ${current.version} published\n`
              : `${dataDirectory} was already initialised: rulebook version ${current.version} is current\n`,
          );
        }
      } finally {
        await store.close();
      }
      cli.exitCode = exitCodes.ok;
    });
}
