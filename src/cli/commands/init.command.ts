import { mkdir } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { defaultRulebookAudit, initialiseLedger } from "../initialise.js";
import { printJson } from "../io.js";
import { jsonOption } from "../options.js";
import { ledgerLocationOf, openLedgerStore, storeDefault, storeOption } from "../store-option.js";

export function registerInitCommand(program: Command, cli: CliContext): void {
  program
    .command("init")
    .description(
      "create the data folder and its database, and publish the default rulebook as version 1",
    )
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Running it again is harmless: an existing database and rulebook are kept.
With --store postgres://..., the ledger is that PostgreSQL database (in the schema the URL's
schema parameter names, civic by default): the schema is created and migrated.

Examples:
  $ civic init
  $ civic init --data /var/lib/civic
  $ CIVIC_DATA=/var/lib/civic civic init
  $ civic init --store postgres://civic@127.0.0.1:5432/civic

Exit codes: 0 ok, 2 usage error, 6 storage error (e.g. the database is unreachable),
70 internal error.`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const location = ledgerLocationOf(command);
      const { dataDirectory } = location;
      const sqlite = location.store === storeDefault;
      // On PostgreSQL the data folder keeps only what `civic serve` writes there (the keys).
      if (sqlite) await createDataFolder(dataDirectory);
      const { store, name: database } = await openLedgerStore({ location, create: true });
      const shown = sqlite ? dataDirectory : `the PostgreSQL store at ${database}`;
      const created = sqlite ? `${dataDirectory}: database ${database}` : shown;
      try {
        const { current, published } = await initialiseLedger(store, {
          at: cli.clock(),
          by: "civic init",
          audit: defaultRulebookAudit("init"),
        });
        if (options.json) {
          printJson(cli.io, {
            dataDirectory,
            database,
            rulebookVersion: current.version,
            published,
          });
        } else {
          cli.io.stdout(
            published
              ? `initialised ${created}, rulebook version ${current.version} published\n`
              : `${shown} was already initialised: rulebook version ${current.version} is current\n`,
          );
        }
      } finally {
        await store.close();
      }
      cli.exitCode = exitCodes.ok;
    });
}

async function createDataFolder(dataDirectory: string): Promise<void> {
  try {
    await mkdir(dataDirectory, { recursive: true });
  } catch (error) {
    throw new CliError(
      exitCodes.usage,
      `cannot create the data folder ${dataDirectory}: ${(error as Error).message}`,
    );
  }
}
