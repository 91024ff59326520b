import { describe, expect, it } from "vitest";
import { runMain } from "../test-support/cli.js";
import { exitCodes } from "./exit-codes.js";

const commands = [
  ["init"],
  ["enroll"],
  ["source", "add"],
  ["source", "list"],
  ["ingest"],
  ["score"],
  ["entries"],
  ["rulebook", "show"],
  ["rulebook", "check"],
  ["rulebook", "publish"],
  ["rulebook", "history"],
  ["verify"],
  ["simulate"],
];

describe("civic --help", () => {
  it("lists the commands and every exit code", async () => {
    const help = await runMain(["--help"]);
    expect(help.status).toBe(exitCodes.ok);
    for (const [name, code] of Object.entries(exitCodes)) {
      expect(help.stdout, name).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
    }
    for (const [command] of commands) expect(help.stdout).toContain(`  ${command}`);
  });

  it.each(commands)("documents %s %s with examples, --data and exit codes", async (...command) => {
    const help = await runMain([...command, "--help"]);
    expect(help.status).toBe(exitCodes.ok);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toContain("Exit codes:");
    expect(help.stdout).toContain("--data <dir>");
    expect(help.stdout).toMatch(/--json/);
  });

  it("exits 2 with the help on stderr when no command is given", async () => {
    const run = await runMain([]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain("Usage: civic");
  });

  it("prints the version", async () => {
    const run = await runMain(["--version"]);
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("bad flags", () => {
  it.each([
    [["ingest", "x.ndjson", "--source", "s", "--batch-size", "0"], "--batch-size"],
    [["ingest", "x.ndjson", "--source", "s", "--batch-size", "abc"], "--batch-size"],
    [["ingest", "x.ndjson", "--source", "s", "--batch-size", "10001"], "--batch-size"],
    [["ingest", "x.ndjson"], "--source"],
    [["score", "c-1", "--at", "yesterday"], "--at"],
    [["score", "c-1", "--at", "2026-02-30"], "--at"],
    [["entries", "c-1", "--at", "2026-03-01T10:00"], "--at"],
    [["source", "add", "s", "--kind", "police", "--types", "traffic.*"], "--kind"],
    [["source", "add", "s", "--kind", "agency", "--types", "Traffic"], "--types"],
    [["source", "add", "bad name", "--kind", "agency", "--types", "traffic.*"], "name"],
    [["rulebook", "show", "--version", "0"], "--version"],
    [["score", "c-1", "--frobnicate"], "--frobnicate"],
    [["frobnicate"], "frobnicate"],
    [["score"], "subject"],
  ])("civic %j exits 2 with one clear line", async (args, mentioned) => {
    const run = await runMain(args, {});
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^civic: /);
    expect(run.stderr).toContain(mentioned);
  });
});
