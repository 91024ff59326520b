import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../test-support/cli.js";
import { eventLine, repositoryRoot, temporaryFolder } from "../test-support/ledger.js";
import { postgresForTests, postgresTestUrl, testSchemaName } from "../test-support/postgres.js";
import { exitCodes } from "./exit-codes.js";

/**
 * The ledger commands with `--store postgres://...` (or CIVIC_STORE), in this process: the
 * README session on a PostgreSQL schema, and the refusals of a missing or unreachable store.
 */
const reachable = await postgresForTests("civic --store postgres CLI tests");

/** The test URL naming `schema`. */
function storeUrl(schema: string): string {
  const url = new URL(postgresTestUrl());
  url.searchParams.set("schema", schema);
  return url.toString();
}

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
    return found.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe.skipIf(!reachable)("civic commands with --store postgres://", () => {
  const folder = temporaryFolder("cli-postgres");
  const data = join(folder.path, "data");
  const schema = testSchemaName();
  const store = storeUrl(schema);
  const civic = (...args: string[]) => runMain([...args, "--data", data, "--store", store]);

  afterAll(async () => {
    folder.remove();
    const client = new pg.Client({ connectionString: postgresTestUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("initialises, enrolls, ingests, scores, lists entries and verifies in PostgreSQL", async () => {
    const initialised = await civic("init", "--json");
    expect(initialised.stderr).toBe("");
    expect(JSON.parse(initialised.stdout)).toMatchObject({ rulebookVersion: 1, published: true });
    // The ledger is in the schema, not in the data folder.
    expect(existsSync(join(data, "civic.sqlite"))).toBe(false);
    expect((await civic("init")).stdout).toContain("was already initialised");

    const added = await civic(
      "source",
      "add",
      "police",
      "--kind",
      "agency",
      "--types",
      "traffic.*",
    );
    expect(added.status).toBe(exitCodes.ok);
    const subjects = join(folder.path, "subjects.csv");
    writeFileSync(subjects, "id,region\nc-001,north\nc-002,south\n");
    expect((await civic("enroll", subjects)).status).toBe(exitCodes.ok);
    const events = join(folder.path, "events.ndjson");
    writeFileSync(
      events,
      `${eventLine({ id: "p-1", subject: "c-001" })}\n${eventLine({ id: "p-2", subject: "c-002", type: "traffic.jaywalking" })}\n`,
    );
    const ingested = await civic("ingest", events, "--source", "police");
    expect(ingested.status).toBe(exitCodes.ok);
    expect(ingested.stdout).toMatch(/2 events, 2 accepted, 0 duplicate, 0 refused/);

    const score = await civic("score", "c-001", "--at", "2026-03-01", "--json");
    expect(JSON.parse(score.stdout)).toMatchObject({ score: 990, rating: "B" });
    const entries = await civic("entries", "c-002", "--at", "2026-03-01", "--json");
    expect(JSON.parse(entries.stdout).entries).toEqual([
      expect.objectContaining({ eventId: "p-2", points: -5, source: "police" }),
    ]);
    const verified = await civic("verify", "--json");
    expect(verified.status).toBe(exitCodes.ok);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, subjects: 2, entries: 2 });
    const history = await civic("rulebook", "history", "--json");
    expect(JSON.parse(history.stdout)).toEqual([expect.objectContaining({ version: 1 })]);
    // The policy lab reads on connections where the server refuses any write.
    const draft = join(repositoryRoot, "rulebooks/default.yaml");
    const whatIf = await civic("whatif", "--rulebook", draft, "--json");
    expect(whatIf.stderr).toBe("");
    expect(whatIf.status).toBe(exitCodes.ok);
  });

  it("takes the store from CIVIC_STORE", async () => {
    const before = process.env.CIVIC_STORE;
    process.env.CIVIC_STORE = store;
    try {
      const listed = await runMain(["source", "list", "--json", "--data", data]);
      expect(listed.status).toBe(exitCodes.ok);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "police" })]);
    } finally {
      if (before === undefined) delete process.env.CIVIC_STORE;
      else process.env.CIVIC_STORE = before;
    }
  });

  it("answers not initialised for a schema without a ledger, and creates nothing", async () => {
    const missing = testSchemaName();
    const draft = join(repositoryRoot, "rulebooks/default.yaml");
    for (const args of [["verify"], ["score", "c-001"], ["whatif", "--rulebook", draft]]) {
      const run = await runMain([...args, "--data", data, "--store", storeUrl(missing)]);
      expect(run.status, args[0]).toBe(exitCodes.notInitialised);
      expect(run.stderr).toContain("is not initialised; run: civic init --store");
    }
    expect(await schemaExists(missing)).toBe(false);
  });

  it("refuses an unreachable database with the storage exit code, hiding the password", async () => {
    const run = await runMain([
      "verify",
      "--data",
      data,
      "--store",
      "postgres://civic:secret@127.0.0.1:1/x",
    ]);
    expect(run.status).toBe(exitCodes.storage);
    expect(run.stderr).toContain("cannot open the PostgreSQL store at postgres://civic:***@");
    expect(run.stderr).not.toContain("secret");
    const inParameter = await runMain([
      "verify",
      "--data",
      data,
      "--store",
      "postgres://civic@127.0.0.1:1/x?password=secret",
    ]);
    expect(inParameter.status).toBe(exitCodes.storage);
    expect(inParameter.stderr).toContain("password=***");
    expect(inParameter.stderr).not.toContain("secret");
    const usage = await runMain(["verify", "--data", data, "--store", "mysql://db/x"]);
    expect(usage.status).toBe(exitCodes.usage);
  });

  it("refuses a URL that names an impossible schema as a usage error, before connecting", async () => {
    const run = await runMain([
      "verify",
      "--data",
      data,
      "--store",
      "postgres://civic:secret@127.0.0.1:1/x?schema=Robert');DROP",
    ]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain("schema name");
    expect(run.stderr).not.toContain("secret");
  });
});
