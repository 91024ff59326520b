import pg from "pg";
import { checkSchemaName, type PostgresLocation } from "./postgres.url.js";

export {
  checkSchemaName,
  isPostgresUrl,
  type PostgresLocation,
  parsePostgresUrl,
  redactUrl,
  schemaDefault,
} from "./postgres.url.js";

/** Connections per store when the caller names none: writes take turns, reads run beside them. */
export const poolConnectionsDefault = 8;
/** How long a connection attempt waits before failing: an unreachable server answers quickly. */
export const connectTimeoutMilliseconds = 10_000;
/** int8 (bigint, count(*), sum(integer)) and its array, read as numbers: times and ids are safe. */
const int8Oid = 20;
const int8ArrayOid = 1016;
const textArrayOid = 1009;

/** A connection or the pool: both run one statement. */
export type Sql = Pick<pg.PoolClient, "query">;

/**
 * A pool whose connections all work in `schema` (set as the search path when each connects) and
 * read int8 as a JavaScript number, refusing one that is not a safe integer.
 */
export function openPool(
  location: PostgresLocation,
  connections = poolConnectionsDefault,
  { readOnly = false }: Readonly<{ readOnly?: boolean }> = {},
): pg.Pool {
  checkSchemaName(location.schema);
  // A startup option of each connection, so that no statement runs before the search path is
  // set. The driver takes `options` from the URL over the configuration: merge the two there.
  // Read-only: the server refuses any write, whatever the code above it does.
  const url = new URL(location.url);
  const options = [
    url.searchParams.get("options"),
    `-c search_path=${location.schema}`,
    readOnly ? "-c default_transaction_read_only=on" : undefined,
  ];
  url.searchParams.set("options", options.filter(Boolean).join(" "));
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: connections,
    connectionTimeoutMillis: connectTimeoutMilliseconds,
    types: { getTypeParser },
  });
  // An idle connection that the server drops emits an error; unheard, it would end the process.
  // The next query on the pool opens a new connection, or fails with its own error.
  pool.on("error", () => undefined);
  return pool;
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`int8 value ${text} is not a safe integer`);
  return value;
}

type TypeParser = (text: string) => unknown;
const builtInParser = pg.types.getTypeParser as (oid: number, format?: string) => TypeParser;
const parseTextArray = builtInParser(textArrayOid, "text") as (text: string) => string[];

const getTypeParser = ((oid: number, format?: string): TypeParser => {
  if (format !== "binary") {
    if (oid === int8Oid) return parseSafeInteger;
    if (oid === int8ArrayOid) return (text) => parseTextArray(text).map(parseSafeInteger);
  }
  return builtInParser(oid, format);
}) as typeof pg.types.getTypeParser;

const arrayElementQuoted = /[\\"]/g;

/**
 * A one-dimensional array parameter in PostgreSQL's array text (`{1,2,"a\"b",NULL}`), built in
 * one pass for the statements of a batch: the driver's own conversion quotes and escapes every
 * element, numbers too, and cost a tenth of a batch's time in this process.
 */
export function arrayParameter(values: readonly (string | number | null)[]): string {
  let text = "{";
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as string | number | null;
    if (index > 0) text += ",";
    if (value === null) text += "NULL";
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error(`array element ${value} is not finite`);
      text += value;
    } else text += `"${value.replace(arrayElementQuoted, "\\$&")}"`;
  }
  return `${text}}`;
}

export type TransactionMode = Readonly<{
  /** One snapshot for every statement (REPEATABLE READ), reads only. */
  snapshot?: boolean;
}>;

/**
 * Runs `body` in one transaction on one connection: COMMIT when it returns, ROLLBACK when it
 * throws (and the error goes on). A connection whose ROLLBACK failed is discarded, not reused.
 */
export function inTransaction<Result>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<Result>,
  { snapshot = false }: TransactionMode = {},
): Promise<Result> {
  const begin = snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
  return beginTransaction(pool, begin, (client) => body(client));
}

/**
 * `inTransaction` with the statements that open it: `begin` starts with BEGIN and may go on
 * with statements without parameters, sent in the same round trip; `body` gets the last one's
 * rows.
 */
export async function beginTransaction<Result>(
  pool: pg.Pool,
  begin: string,
  body: (client: pg.PoolClient, opened: pg.QueryResultRow[]) => Promise<Result>,
): Promise<Result> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(begin)) as pg.QueryResult | pg.QueryResult[];
    const opened = Array.isArray(results) ? (results.at(-1)?.rows ?? []) : results.rows;
    const result = await body(client, opened);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // Also after a failed BEGIN or COMMIT: the connection goes back to the pool idle.
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The rows of one statement. */
export async function rows<Row extends pg.QueryResultRow>(
  sql: Sql,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  return (await sql.query<Row>(text, values)).rows;
}

/** The one row of a statement that returns at most one; undefined when it returns none. */
export async function row<Row extends pg.QueryResultRow>(
  sql: Sql,
  text: string,
  values: unknown[] = [],
): Promise<Row | undefined> {
  const result = await rows<Row>(sql, text, values);
  if (result.length > 1) throw new Error(`expected at most one row, got ${result.length}`);
  return result[0];
}
