import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";

/** Page cache per connection when the caller names none: holds the hot indexes of ~1M entries. */
export const cacheMegabytesDefault = 64;
/** How long a writer waits for another process's write transaction before failing. */
export const busyTimeoutMilliseconds = 5_000;
/** WAL file size kept after a checkpoint; larger WAL files are truncated back to this. */
export const journalSizeLimitBytes = 64 * 1024 * 1024;

export type SqliteOptions = Readonly<{
  path: string;
  cacheMegabytes?: number;
  /** Checkpoint the WAL from a worker thread (file databases only); on by default. */
  checkpointInBackground?: boolean;
  /**
   * Open an existing file for reading only: no migration, no write of any kind (SQLite refuses
   * them), nothing changed when it closes. For reports that must leave the ledger as it is.
   */
  readOnly?: boolean;
  /** Events the policy lab's history read holds in memory per pass (see sqlite.history.ts). */
  historyPassEventsMax?: number;
}>;

/** The database file inside a data folder. */
export function sqliteDatabasePath(dataDirectory: string): string {
  return join(dataDirectory, "civic.sqlite");
}

export function openDatabase({
  path,
  cacheMegabytes = cacheMegabytesDefault,
  readOnly = false,
}: SqliteOptions): Database.Database {
  if (!Number.isInteger(cacheMegabytes) || cacheMegabytes < 1) {
    throw new Error(`cacheMegabytes must be a positive integer, not ${cacheMegabytes}`);
  }
  if (readOnly) return openReadOnly(path, cacheMegabytes);
  const inMemory = path === ":memory:";
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  try {
    // WAL lets readers work beside the one writer. synchronous=NORMAL survives a killed process
    // (the WAL is in the operating system's cache); only a power loss can drop the last commits.
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    database.pragma(`busy_timeout = ${busyTimeoutMilliseconds}`);
    // A negative cache_size is in KiB.
    database.pragma(`cache_size = ${-cacheMegabytes * 1024}`);
    database.pragma(`journal_size_limit = ${journalSizeLimitBytes}`);
    database.pragma("temp_store = MEMORY");
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** The journal mode stays as the file has it (WAL); a read-only connection cannot set it. */
function openReadOnly(path: string, cacheMegabytes: number): Database.Database {
  if (path === ":memory:") throw new Error("an in-memory database cannot be opened read-only");
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    database.pragma(`busy_timeout = ${busyTimeoutMilliseconds}`);
    database.pragma(`cache_size = ${-cacheMegabytes * 1024}`);
    database.pragma("temp_store = MEMORY");
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}
