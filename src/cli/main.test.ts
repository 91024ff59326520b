import { PassThrough, Readable } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { runMain } from "../test-support/cli.js";
import { exitCodes } from "./exit-codes.js";
import { buildProgram, commandsWithoutJson } from "./main.js";
import { storeOptionName } from "./store-option.js";

/** Every runnable command of `civic`, as the words that name it (`["rulebook", "show"]`). */
function leafCommands(): { path: string[]; command: Command }[] {
  const program = buildProgram({
    io: {
      stdout: () => undefined,
      stderr: () => undefined,
      stderrStream: new PassThrough(),
      stderrIsTty: false,
      stdin: Readable.from([]),
      env: {},
    },
    clock: () => 0,
    exitCode: exitCodes.ok,
  });
  const leaves: { path: string[]; command: Command }[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const child of command.commands) {
      if (child.commands.length > 0) walk(child, [...path, child.name()]);
      else leaves.push({ path: [...path, child.name()], command: child });
    }
  };
  walk(program, []);
  return leaves;
}

const takes = (command: Command, flag: string) =>
  command.options.some((option) => option.long === flag);

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

  it("says which commands take --json, as they do", async () => {
    const withoutJson = leafCommands()
      .filter(({ command }) => !takes(command, "--json"))
      .map(({ path }) => path.join(" "));
    expect(withoutJson.sort()).toEqual([...commandsWithoutJson].sort());
    const help = await runMain(["--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "every one but serve, gateway and camera-gateway (services that run until stopped, and log) takes --json",
    );
  });

  it("documents exit code 6 for every command that opens the ledger", async () => {
    const opening = leafCommands().filter(({ command }) => takes(command, `--${storeOptionName}`));
    expect(opening.length).toBeGreaterThan(10);
    for (const { path } of opening) {
      const help = await runMain([...path, "--help"]);
      const exitCodesText = help.stdout.slice(help.stdout.indexOf("Exit codes:"));
      expect(exitCodesText, path.join(" ")).toMatch(/\b6 storage error\b/);
    }
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
