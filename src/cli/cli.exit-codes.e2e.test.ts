import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCivic, temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

// The exit codes as the shell sees them, through bin/civic.js.
const folder = temporaryFolder("exit-codes");
const data = join(folder.path, "data");
const events = join(folder.path, "events.ndjson");

beforeAll(async () => {
  expect((await runCivic(["init"], { data })).status).toBe(0);
  writeFileSync(events, "");
});
afterAll(() => folder.remove());

describe.concurrent("civic exit codes", () => {
  it.each([
    [
      "a bad flag value",
      ["ingest", events, "--source", "s", "--batch-size", "abc"],
      exitCodes.usage,
      /--batch-size/,
    ],
    [
      "a missing file",
      ["ingest", join(folder.path, "absent.ndjson"), "--source", "s"],
      exitCodes.usage,
      /no such file/,
    ],
    ["an unknown subject", ["score", "c-404"], exitCodes.notFound, /no enrolled subject 'c-404'/],
  ])("%s", async (_, args, status, message) => {
    const run = await runCivic(args, { data });
    expect(run.status).toBe(status);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a data folder that was never initialised", async () => {
    const run = await runCivic(["verify"], { data: join(folder.path, "elsewhere") });
    expect(run.status).toBe(exitCodes.notInitialised);
    expect(run.stderr).toMatch(/is not initialised; run: civic init --data /);
  });
});
