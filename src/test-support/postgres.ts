/**
 * The PostgreSQL that integration tests use: `CIVIC_TEST_POSTGRES_URL`, else the one `.ci/run`
 * starts on this machine. Each open test store has a schema of its own, so test files run in
 * parallel against one database. Test code only (not built).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  openPostgresStore,
  type PostgresStore,
  redactUrl,
} from "../store/postgres/postgres.store.js";

export const postgresTestUrlDefault = "postgres://postgres@127.0.0.1:5432/test";
export const postgresTestUrlVariable = "CIVIC_TEST_POSTGRES_URL";

export function postgresTestUrl(): string {
  return process.env[postgresTestUrlVariable] || postgresTestUrlDefault;
}

/**
 * The test URL for stores: commits do not wait for the disk (synchronous_commit=off). Only a
 * crash of the server could lose the last commits; what a transaction sees and writes is the
 * same, and tests of many small writes run several times faster.
 */
function storeUrl(): string {
  const url = new URL(postgresTestUrl());
  const options = [url.searchParams.get("options"), "-c synchronous_commit=off"];
  url.searchParams.set("options", options.filter(Boolean).join(" "));
  return url.toString();
}

/** A schema name no other test uses. */
export function testSchemaName(): string {
  return `civic_test_${randomBytes(6).toString("hex")}`;
}

/**
 * Whether the test PostgreSQL answers. When it does not, a test file skips its PostgreSQL
 * tests and says so in one line, except under CI (`CI=true`), where a missing PostgreSQL fails
 * the run: `.ci/run` starts it, so its absence is a broken setup, not a reason to skip.
 */
export async function postgresForTests(what: string): Promise<boolean> {
  const url = postgresTestUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    const message = `PostgreSQL not reachable at ${redactUrl(url)} (${(error as Error).message})`;
    if (process.env.CI === "true") {
      throw new Error(`${message}: under CI the ${what} must run; .ci/run starts PostgreSQL`);
    }
    console.warn(
      `SKIPPED ${what}: ${message}. Set ${postgresTestUrlVariable} or start PostgreSQL (bash .ci/run does).`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The tables of a test schema in an order that empties them without breaking a foreign key,
 * children first. `emptySchema` refuses a schema with a table missing here: a new migration's
 * table must join the list.
 */
const tablesChildrenFirst = [
  "audit_log",
  "appeals",
  "inquiries",
  "consents",
  "partners",
  "accounts",
  "credentials",
  "rating_changes",
  "entry_transitions",
  "event_keys",
  "entries",
  "scores",
  "subjects",
  "subject_directory",
  "sources",
  "event_types",
  "rulebooks",
];
const tablesKept = ["ledger_state", "schema_migrations"];

/**
 * Empties a migrated schema as if it were new: DELETE of a few test rows is far quicker than
 * DROP SCHEMA and the migrations (or TRUNCATE of every table), and sequences start again at 1.
 */
async function emptySchema(pool: pg.Pool): Promise<void> {
  const found = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
  );
  const unknown = found.rows
    .map((table) => table.name)
    .filter((name) => !tablesChildrenFirst.includes(name) && !tablesKept.includes(name));
  if (unknown.length > 0) throw new Error(`emptySchema does not know table ${unknown.join(", ")}`);
  await pool.query(`
    BEGIN;
    ${tablesChildrenFirst.map((table) => `DELETE FROM ${table};`).join("\n")}
    UPDATE ledger_state SET clock = 0, last_entry_id = 0, last_subject_id = 0;
    SELECT setval(sequence.oid, 1, false) FROM pg_class sequence
      WHERE sequence.relkind = 'S' AND sequence.relnamespace = current_schema()::regnamespace;
    COMMIT;`);
}

/** Emptied schemas of this test file, ready for the next store. */
const freeSchemas: string[] = [];
const allSchemas = new Set<string>();

/**
 * A new, empty store in a schema that no other open store uses. Closing it empties the schema
 * for the next store of the same test file; `dropTestSchemas` drops them all at the end.
 */
export async function openTestPostgresStore(): Promise<PostgresStore> {
  const schema = freeSchemas.pop() ?? testSchemaName();
  allSchemas.add(schema);
  return openPostgresStore({
    url: storeUrl(),
    schema,
    connections: 4,
    onClose: async (pool) => {
      await emptySchema(pool);
      freeSchemas.push(schema);
    },
  });
}

/** A store in a fresh schema, dropped when the store closes (for tests that change the schema). */
export function openThrowawayPostgresStore(schema = testSchemaName()): Promise<PostgresStore> {
  return openPostgresStore({
    url: storeUrl(),
    schema,
    connections: 4,
    onClose: async (pool) => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  });
}

/** Drops the schemas `openTestPostgresStore` made (call in `afterAll`). */
export async function dropTestSchemas(): Promise<void> {
  if (allSchemas.size === 0) return;
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    for (const schema of allSchemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    allSchemas.clear();
    freeSchemas.length = 0;
  } finally {
    await client.end();
  }
}

/** A plain connection working in `schema`, as another process would have: for injected faults. */
export async function connectToSchema(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  return client;
}
