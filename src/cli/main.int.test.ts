import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../test-support/cli.js";
import { eventLine, temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

// The CLI in this process against a real SQLite data folder: exit codes that need a ledger.
const folder = temporaryFolder("main");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runMain([...args, "--data", data]);

beforeAll(async () => {
  expect((await civic("init")).status).toBe(exitCodes.ok);
  expect(
    (await civic("source", "add", "police", "--kind", "agency", "--types", "traffic.*")).status,
  ).toBe(exitCodes.ok);
});
afterAll(() => folder.remove());

describe("civic exit codes against a ledger", () => {
  it.each([
    [["ingest", "events.ndjson", "--source", "nobody"], /no source named 'nobody'/],
    [["score", "c-404"], /no enrolled subject 'c-404'/],
    [["entries", "c-404"], /no enrolled subject 'c-404'/],
    [["rulebook", "show", "--version", "9"], /no rulebook version 9/],
  ])("civic %j exits 5", async (args, message) => {
    writeFileSync(join(folder.path, "events.ndjson"), "");
    const run = await runMain([
      ...args.map((arg) => (arg.endsWith(".ndjson") ? join(folder.path, arg) : arg)),
      "--data",
      data,
    ]);
    expect(run.status).toBe(exitCodes.notFound);
    expect(run.stderr).toMatch(message);
  });

  it("refuses a source name that is taken with exit 1", async () => {
    const run = await civic("source", "add", "police", "--kind", "partner", "--types", "finance.*");
    expect(run.status).toBe(exitCodes.failed);
    expect(run.stderr).toMatch(/^civic: .*police/);
  });

  it("warns about a type pattern no rule matches", async () => {
    const run = await civic(
      "source",
      "add",
      "bank",
      "--kind",
      "partner",
      "--types",
      "finance.*,finance.fraud",
    );
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stderr).toContain(
      "warning: no rule of rulebook version 1 has a type matching 'finance.fraud'",
    );
  });

  it("exits 0 with refused lines, and 3 with --strict", async () => {
    const file = join(folder.path, "bad.ndjson");
    writeFileSync(file, `${eventLine({ subject: "c-404" })}\n`);
    expect((await civic("ingest", file, "--source", "police")).status).toBe(exitCodes.ok);
    const strict = await civic("ingest", file, "--source", "police", "--strict");
    expect(strict.status).toBe(exitCodes.linesRefused);
    expect(strict.stderr).toContain(`${file}:1: unknown_subject`);
  });

  it("exits 4 for a folder that was never initialised, whatever the command", async () => {
    for (const args of [
      ["verify"],
      ["score", "c-1"],
      ["source", "list"],
      ["rulebook", "history"],
    ]) {
      const run = await runMain([...args, "--data", join(folder.path, "nowhere")]);
      expect(run.status).toBe(exitCodes.notInitialised);
      expect(run.stderr).toMatch(/not initialised; run: civic init --data /);
    }
  });

  it("exits 6 with a storage error for a database it cannot use", async () => {
    const broken = join(folder.path, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, "civic.sqlite"), "this is not a database, just text".repeat(40));
    const run = await runMain(["verify", "--data", broken]);
    expect(run.status).toBe(exitCodes.storage);
    expect(run.stderr).toMatch(/^civic: storage error: .*SQLITE_NOTADB/);
  });

  it("refuses to verify at a future time, which would move the ledger clock ahead", async () => {
    const run = await civic("verify", "--at", "2999-01-01");
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/^civic: --at 2999-01-01T00:00:00.000Z is in the future/);
  });
});
