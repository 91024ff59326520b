import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { CliError } from "./cli-error.js";
import { registerCameraGatewayCommand } from "./commands/camera-gateway.command.js";
import { registerEnrollCommand } from "./commands/enroll.command.js";
import { registerEntriesCommand } from "./commands/entries.command.js";
import { registerGatewayCommand } from "./commands/gateway.command.js";
import { registerIngestCommand } from "./commands/ingest.command.js";
import { registerInitCommand } from "./commands/init.command.js";
import { registerRulebookCommand } from "./commands/rulebook.command.js";
import { registerScoreCommand } from "./commands/score.command.js";
import { registerServeCommand } from "./commands/serve.command.js";
import { registerSimulateCommand } from "./commands/simulate.command.js";
import { registerSourceCommand } from "./commands/source.command.js";
import { registerVerifyCommand } from "./commands/verify.command.js";
import { registerWhatIfCommand } from "./commands/whatif.command.js";
import { registerWorkerCommand } from "./commands/worker.command.js";
import type { CliContext } from "./context.js";
import { dataOptionDefault, dataOptionName } from "./data-folder.js";
import { exitCodes, exitCodesHelp } from "./exit-codes.js";
import { type Io, processIo } from "./io.js";
import { packageRoot } from "./package-root.js";

/** The commands that take no `--json`: services that run until stopped; `--help` names them. */
export const commandsWithoutJson = ["serve", "gateway", "camera-gateway"] as const;

/** Runs `civic` with `argv` (as process.argv: node, script, arguments) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cli: CliContext = { io, clock: () => Date.now(), exitCode: exitCodes.ok };
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv]);
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its one-line message (or the help) already.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`civic: ${error.message}\n`);
      return error.exitCode;
    }
    const storage = storageFailure(error);
    if (storage) {
      io.stderr(`civic: storage error: ${storage}\n`);
      return exitCodes.storage;
    }
    const detail = io.env.CIVIC_DEBUG ? `\n${(error as Error).stack}` : "";
    io.stderr(`civic: internal error: ${(error as Error).message}${detail}\n`);
    return exitCodes.internal;
  }
}

export function buildProgram(cli: CliContext): Command {
  const program = new Command("civic")
    .description("Civic Credit: a transparent, contestable conduct ledger")
    .version(packageVersion(), "-V, --version")
    .addOption(
      new Option(`--${dataOptionName} <dir>`, "the data folder")
        .env("CIVIC_DATA")
        .default(dataOptionDefault),
    )
    // Program options stop at the subcommand, so `rulebook show --version 2` is the
    // subcommand's flag; every command also takes --data itself (added below).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: cli.io.stdout,
      writeErr: cli.io.stderr,
      // One voice for every error line: `civic: ...`, as the commands' own errors.
      outputError: (text, write) => write(text.replace(/^error: /, "civic: ")),
    })
    .addHelpText(
      "after",
      `
A session:
  $ civic init
  $ civic source add traffic-police --kind agency --types 'traffic.*'
  $ civic enroll subjects.csv
  $ civic ingest events.ndjson --source traffic-police
  $ civic score c-001
  $ civic entries c-001
  $ civic verify
  $ civic serve
  $ civic simulate --subjects 2000 --days 60 --seed 7 --faults

Every command takes --help, and every one but ${commandsWithoutJson.slice(0, -1).join(", ")} and
${commandsWithoutJson.at(-1)} (services that run until stopped, and log) takes --json.
${exitCodesHelp}`,
    );
  registerInitCommand(program, cli);
  registerSourceCommand(program, cli);
  registerEnrollCommand(program, cli);
  registerIngestCommand(program, cli);
  registerScoreCommand(program, cli);
  registerEntriesCommand(program, cli);
  registerRulebookCommand(program, cli);
  registerVerifyCommand(program, cli);
  registerWhatIfCommand(program, cli);
  registerServeCommand(program, cli);
  registerSimulateCommand(program, cli);
  registerGatewayCommand(program, cli);
  registerWorkerCommand(program, cli);
  registerCameraGatewayCommand(program, cli);
  addDataOptionToLeaves(program);
  return program;
}

function addDataOptionToLeaves(command: Command): void {
  for (const child of command.commands) {
    if (child.commands.length > 0) addDataOptionToLeaves(child);
    else
      child.option(`--${dataOptionName} <dir>`, "the data folder (default ./data, or $CIVIC_DATA)");
  }
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "0.0.0";
}

/** Operating errors of the database or the file system, as opposed to bugs. */
const storageErrorCodes =
  /^(SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PERM|NOTADB|CORRUPT)|ENOSPC|EACCES|EROFS|EDQUOT)/;

function storageFailure(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !storageErrorCodes.test(code)) return undefined;
  return `${(error as Error).message} (${code})`;
}
