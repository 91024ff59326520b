import { existsSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../../test-support/ledger.js";
import { postgresForTests, postgresTestUrl, testSchemaName } from "../../test-support/postgres.js";
import { exitCodes } from "../exit-codes.js";
import { main } from "../main.js";

/**
 * `civic serve --store postgres://...` (or CIVIC_STORE): the ledger in PostgreSQL, migrated and
 * initialised on start, served over HTTP; the data folder keeps only the keys. In this process,
 * stopped as SIGTERM stops it (the signal's listeners, without a signal).
 */
const reachable = await postgresForTests("civic serve --store postgres tests");

type Running = Readonly<{ url: string; output: () => string; exited: Promise<number> }>;

/** Runs `civic serve` in this process until its "serving" line, or until it exits. */
function serve(args: readonly string[]): Promise<Running> {
  let stdout = "";
  let stderr = "";
  let ready: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => {
    ready = resolve;
  });
  const exited = main(["node", "civic", "serve", "--port", "0", "--log-level", "warn", ...args], {
    stdout: (text) => {
      stdout += text;
      const url = /serving .* at (http:\/\/\S+) /.exec(stdout)?.[1];
      if (url) ready(url);
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrStream: new PassThrough(),
    stderrIsTty: false,
    stdin: Readable.from([]),
    env: {},
  });
  const output = () => `${stdout}${stderr}`;
  return Promise.race([
    listening.then((url) => ({ url, output, exited })),
    exited.then((code) => {
      throw new Error(`civic serve exited with ${code}:\n${output()}`);
    }),
  ]);
}

async function stop(running: Running): Promise<number> {
  process.emit("SIGTERM", "SIGTERM");
  return running.exited;
}

describe.skipIf(!reachable)("civic serve --store postgres://", () => {
  const folder = temporaryFolder("serve-postgres");
  const data = join(folder.path, "data");
  const schema = testSchemaName();
  const url = new URL(postgresTestUrl());
  url.searchParams.set("schema", schema);
  const store = url.toString();

  afterAll(async () => {
    folder.remove();
    const client = new pg.Client({ connectionString: postgresTestUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("migrates and initialises the database on start, and serves the ledger from it", async () => {
    const running = await serve(["--store", store, "--data", data]);
    try {
      expect(running.output()).toContain("published the default rulebook as version 1");
      expect(running.output()).toContain("the demo city is seeded only into SQLite");
      expect(running.output()).toContain("serving postgres://");
      expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
      const rulebook = await fetch(`${running.url}/v1/rulebook`);
      expect(rulebook.status).toBe(200);
      expect(await rulebook.json()).toMatchObject({ version: 1 });
    } finally {
      expect(await stop(running)).toBe(exitCodes.ok);
    }
    expect(running.output()).toContain("civic: stopped");

    // The data folder holds the keys, not the ledger; the ledger is in the schema.
    expect(existsSync(join(data, "admin-key.txt"))).toBe(true);
    expect(existsSync(join(data, "civic.sqlite"))).toBe(false);
    const client = new pg.Client({ connectionString: postgresTestUrl() });
    await client.connect();
    try {
      const migrated = await client.query(
        `SELECT count(*)::int AS n FROM ${schema}.schema_migrations`,
      );
      expect(migrated.rows[0]?.n).toBeGreaterThan(0);
      const admins = await client.query(
        `SELECT count(*)::int AS n FROM ${schema}.credentials WHERE role = 'admin'`,
      );
      expect(admins.rows[0]?.n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("takes the store from CIVIC_STORE, and a restart publishes nothing again", async () => {
    const before = process.env.CIVIC_STORE;
    process.env.CIVIC_STORE = store;
    try {
      const running = await serve(["--data", data, "--no-demo"]);
      try {
        expect(running.output()).not.toContain("published the default rulebook");
        expect(running.output()).not.toContain("admin key written");
        expect(await (await fetch(`${running.url}/v1/rulebooks`)).json()).toMatchObject({
          versions: [{ version: 1 }],
        });
      } finally {
        expect(await stop(running)).toBe(exitCodes.ok);
      }
    } finally {
      if (before === undefined) delete process.env.CIVIC_STORE;
      else process.env.CIVIC_STORE = before;
    }
  });

  it("refuses a store that is neither sqlite nor a PostgreSQL URL, and one it cannot reach", async () => {
    const usage = main(["node", "civic", "serve", "--store", "mysql://db/x", "--data", data], {
      stdout: () => undefined,
      stderr: () => undefined,
      stderrStream: new PassThrough(),
      stderrIsTty: false,
      stdin: Readable.from([]),
      env: {},
    });
    expect(await usage).toBe(exitCodes.usage);
    let stderr = "";
    const unreachable = await main(
      [
        "node",
        "civic",
        "serve",
        "--store",
        "postgres://civic:secret@127.0.0.1:1/x",
        "--data",
        data,
      ],
      {
        stdout: () => undefined,
        stderr: (text) => {
          stderr += text;
        },
        stderrStream: new PassThrough(),
        stderrIsTty: false,
        stdin: Readable.from([]),
        env: {},
      },
    );
    expect(unreachable).toBe(exitCodes.storage);
    expect(stderr).toContain(
      "cannot open the PostgreSQL store at postgres://civic:***@127.0.0.1:1/x",
    );
    expect(stderr).not.toContain("secret");
  });
});
