import { SqliteStore } from "./sqlite.access.js";
import { Checkpointer, writerCheckpointPagesMax } from "./sqlite.checkpointer.js";
import { openDatabase, type SqliteOptions } from "./sqlite.connection.js";
import { historyPassEventsMaxDefault } from "./sqlite.history.js";
import { migrate, requireCurrentSchema } from "./sqlite.migrations.js";

export type { SqliteStore } from "./sqlite.access.js";
export { sqliteDatabasePath } from "./sqlite.connection.js";

/**
 * Opens (creating and migrating when needed) the SQLite store at `path` (":memory:" allowed):
 * the ledger and the access store over one connection.
 */
export function openSqliteStore(options: SqliteOptions): SqliteStore {
  const database = openDatabase(options);
  const history = {
    passEventsMax: options.historyPassEventsMax ?? historyPassEventsMaxDefault,
  };
  try {
    if (options.readOnly) {
      requireCurrentSchema(database);
      return new SqliteStore(database, undefined, history);
    }
    migrate(database);
    const inBackground = (options.checkpointInBackground ?? true) && !database.memory;
    if (inBackground) database.pragma(`wal_autocheckpoint = ${writerCheckpointPagesMax}`);
    return new SqliteStore(
      database,
      inBackground ? new Checkpointer(options.path) : undefined,
      history,
    );
  } catch (error) {
    database.close();
    throw error;
  }
}
