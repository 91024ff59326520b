import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import type { LedgerStore, PublishedRulebook } from "../store/store.js";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";

export const dataOptionName = "data";
export const dataOptionDefault = "./data";

/**
 * The data folder as an absolute path: `--data` after the command, else `--data` before it,
 * `CIVIC_DATA` or the default (the program's option carries those).
 */
export function dataDirectoryOf(command: Command): string {
  let directory: string | undefined;
  for (
    let current: Command | null = command;
    current && directory === undefined;
    current = current.parent
  ) {
    directory = current.opts<{ data?: string }>().data;
  }
  return resolve(directory ?? dataOptionDefault);
}

export type OpenLedger = Readonly<{ store: LedgerStore; rulebook: PublishedRulebook }>;

/**
 * Opens an initialised data folder for `use` and closes it after, whatever happens. `readOnly`
 * opens the database for reading only: the command cannot change the file in any way.
 */
export async function withLedger<T>(
  dataDirectory: string,
  use: (ledger: OpenLedger) => Promise<T>,
  { readOnly = false }: Readonly<{ readOnly?: boolean }> = {},
): Promise<T> {
  const path = sqliteDatabasePath(dataDirectory);
  const notInitialised = new CliError(
    exitCodes.notInitialised,
    `the data folder ${dataDirectory} is not initialised; run: civic init --data ${dataDirectory}`,
  );
  if (!existsSync(path)) throw notInitialised;
  const store = openStore(path, readOnly);
  try {
    const rulebook = await store.currentRulebook();
    if (!rulebook) throw notInitialised;
    return await use({ store, rulebook });
  } finally {
    await store.close();
  }
}

function openStore(path: string, readOnly: boolean) {
  try {
    return openSqliteStore({ path, readOnly });
  } catch (error) {
    // An older schema needs a migration, which a read-only connection cannot do.
    if (readOnly && /schema version/.test((error as Error).message)) {
      throw new CliError(exitCodes.storage, (error as Error).message);
    }
    throw error;
  }
}
