import { PostgresStore } from "./postgres.access.js";
import {
  checkSchemaName,
  openPool,
  parsePostgresUrl,
  poolConnectionsDefault,
} from "./postgres.connection.js";
import { historyPassEventsMaxDefault } from "./postgres.history.js";
import type { CloseHook } from "./postgres.ledger.js";
import { migrate, requireCurrentSchema, requireSchema } from "./postgres.migrations.js";

export { PostgresStore } from "./postgres.access.js";
export { isPostgresUrl, parsePostgresUrl, redactUrl } from "./postgres.connection.js";
export { SchemaMissingError } from "./postgres.migrations.js";

export type PostgresOptions = Readonly<{
  /** `postgres://user@host:5432/database`; a `schema` parameter names the schema (default civic). */
  url: string;
  /** Overrides the URL's schema. */
  schema?: string;
  connections?: number;
  /** Runs on the pool as the store closes, before its connections end (tests drop their schema). */
  onClose?: CloseHook;
  /** Events the policy lab's history read holds in memory per pass (see postgres.history.ts). */
  historyPassEventsMax?: number;
  /**
   * False: a schema without a ledger is refused (SchemaMissingError) instead of created; an
   * existing one is still migrated. Default true.
   */
  createSchema?: boolean;
  /**
   * The server refuses every write on the store's connections; nothing is migrated, so the
   * schema must exist at this program's version. Default false.
   */
  readOnly?: boolean;
}>;

/**
 * Opens the PostgreSQL store at `url`: creates the schema when it is missing and runs the
 * migrations it lacks (once, however many processes start at the same time), then serves the
 * ledger and the access store from one pool of connections. See `createSchema` and `readOnly`
 * for opening an existing ledger only.
 */
export async function openPostgresStore(options: PostgresOptions): Promise<PostgresStore> {
  const parsed = parsePostgresUrl(options.url);
  const schema = options.schema ?? parsed.schema;
  checkSchemaName(schema);
  const { readOnly = false, createSchema = true } = options;
  const pool = openPool(
    { url: parsed.url, schema },
    options.connections ?? poolConnectionsDefault,
    { readOnly },
  );
  try {
    if (readOnly) await requireCurrentSchema(pool, schema);
    else {
      if (!createSchema) await requireSchema(pool, schema);
      await migrate(pool, schema);
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const history = { passEventsMax: options.historyPassEventsMax ?? historyPassEventsMaxDefault };
  return new PostgresStore(pool, history, options.onClose);
}
