import { existsSync } from "node:fs";
import { type Command, Option } from "commander";
import type { AccessStore } from "../store/access.store.js";
import { isPostgresUrl, parsePostgresUrl, redactUrl } from "../store/postgres/postgres.url.js";
import {
  openSqliteStore,
  type SqliteStore,
  sqliteDatabasePath,
} from "../store/sqlite/sqlite.store.js";
import type { LedgerStore, PublishedRulebook } from "../store/store.js";
import { CliError } from "./cli-error.js";
import { dataDirectoryOf } from "./data-folder.js";
import { exitCodes } from "./exit-codes.js";

export const storeOptionName = "store";
/** `--store`'s default: the SQLite file in the data folder. */
export const storeDefault = "sqlite";
export const storeVariable = "CIVIC_STORE";

/**
 * `--store sqlite` or `--store postgres://user@host:5432/database[?schema=civic]`: a URL that
 * does not parse, or names a schema that cannot be one, is a usage error (exit 2), not a
 * storage failure. Refused here rather than by commander, whose message would repeat the value
 * and with it any password.
 */
export function parseStoreOption(value: string): string {
  if (value === storeDefault) return value;
  const refuse = (why: string) =>
    new CliError(exitCodes.usage, `option '--store <location>' is invalid: ${why}`);
  if (!isPostgresUrl(value)) {
    throw refuse(`expected ${storeDefault} or a URL starting with postgres:// or postgresql://`);
  }
  try {
    parsePostgresUrl(value);
  } catch (error) {
    throw refuse((error as Error).message);
  }
  return value;
}

/** The `--store` option every command that opens the ledger takes (also from CIVIC_STORE). */
export function storeOption(): Option {
  return new Option(
    `--${storeOptionName} <location>`,
    "where the ledger is kept: sqlite (the data folder's file) or a PostgreSQL URL, postgres://user@host:5432/database[?schema=civic]",
  )
    .env(storeVariable)
    .argParser(parseStoreOption)
    .default(storeDefault);
}

/** Where a command's ledger is: the data folder (keys, and the SQLite file) and the store. */
export type LedgerLocation = Readonly<{ dataDirectory: string; store: string }>;

/** `--data` and `--store` of `command` (or their environment variables and defaults). */
export function ledgerLocationOf(command: Command): LedgerLocation {
  const store = command.opts<{ store?: string }>().store ?? storeDefault;
  return { dataDirectory: dataDirectoryOf(command), store };
}

export type OpenLedgerStoreOptions = Readonly<{
  location: LedgerLocation;
  /** Nothing can be written: SQLite opens the file read-only, PostgreSQL refuses every write. */
  readOnly?: boolean;
  /**
   * True (init, serve): a missing database or schema is created. False: it is refused as not
   * initialised (exit code 4) and nothing is created.
   */
  create?: boolean;
}>;

export type OpenedLedgerStore = Readonly<{
  store: LedgerStore & AccessStore;
  /** The SQLite store when the ledger is the data folder's file (the demo city needs it). */
  sqlite: SqliteStore | undefined;
  /** For messages: the SQLite file, or the URL without its password. */
  name: string;
}>;

/**
 * Opens the ledger `--store` names: the data folder's SQLite file, or a PostgreSQL database
 * (migrated unless read-only). An unreachable database is exit code 6 (storage), naming the URL
 * without its password; a ledger that is not there (and not to be created) exit code 4.
 */
export async function openLedgerStore({
  location,
  readOnly = false,
  create = false,
}: OpenLedgerStoreOptions): Promise<OpenedLedgerStore> {
  if (location.store === storeDefault) return openSqlite(location, { readOnly, create });
  const name = redactUrl(location.store);
  // Loaded only here: the driver and the adapter take a second to load on a busy machine, and
  // the commands on SQLite need neither.
  const { openPostgresStore, SchemaMissingError } = await import(
    "../store/postgres/postgres.store.js"
  );
  try {
    const store = await openPostgresStore({ url: location.store, readOnly, createSchema: create });
    return { store, sqlite: undefined, name };
  } catch (error) {
    if (error instanceof SchemaMissingError) throw notInitialisedError(location);
    throw new CliError(
      exitCodes.storage,
      `cannot open the PostgreSQL store at ${name}: ${(error as Error).message}`,
    );
  }
}

function openSqlite(
  location: LedgerLocation,
  { readOnly, create }: Readonly<{ readOnly: boolean; create: boolean }>,
): OpenedLedgerStore {
  const path = sqliteDatabasePath(location.dataDirectory);
  if (!create && !existsSync(path)) throw notInitialisedError(location);
  try {
    const sqlite = openSqliteStore({ path, readOnly });
    return { store: sqlite, sqlite, name: path };
  } catch (error) {
    // An older schema needs a migration, which a read-only connection cannot do.
    if (readOnly && /schema version/.test((error as Error).message)) {
      throw new CliError(exitCodes.storage, (error as Error).message);
    }
    throw error;
  }
}

/** Exit code 4, with the command that initialises this ledger. */
export function notInitialisedError(location: LedgerLocation): CliError {
  if (location.store === storeDefault) {
    return new CliError(
      exitCodes.notInitialised,
      `the data folder ${location.dataDirectory} is not initialised; run: civic init --data ${location.dataDirectory}`,
    );
  }
  const name = redactUrl(location.store);
  return new CliError(
    exitCodes.notInitialised,
    `the PostgreSQL store at ${name} is not initialised; run: civic init --store '${name}'`,
  );
}

export type OpenLedger = Readonly<{
  store: LedgerStore & AccessStore;
  rulebook: PublishedRulebook;
}>;

/**
 * Opens an initialised ledger for `use` and closes it after, whatever happens. `readOnly`: the
 * command cannot change the ledger in any way.
 */
export async function withLedger<T>(
  location: LedgerLocation,
  use: (ledger: OpenLedger) => Promise<T>,
  { readOnly = false }: Readonly<{ readOnly?: boolean }> = {},
): Promise<T> {
  const { store } = await openLedgerStore({ location, readOnly });
  try {
    const rulebook = await store.currentRulebook();
    if (!rulebook) throw notInitialisedError(location);
    return await use({ store, rulebook });
  } finally {
    await store.close();
  }
}
