import { type Command, InvalidArgumentError } from "commander";
import type { ParseResult } from "../../core/rulebook.parse.js";
import { formatInstant } from "../../core/time.js";
import { rulebookJson } from "../../ledger/rulebook.view.js";
import { commandAuditLine, operatorName } from "../audit.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { jsonOption, wholeNumberOption } from "../options.js";
import { rulebookText } from "../rulebook.render.js";
import { parseRulebookFile, problemsText } from "../rulebook-file.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

type PublishFlags = Readonly<{ by?: string; json?: boolean }>;

export function registerRulebookCommand(program: Command, cli: CliContext): void {
  const rulebook = program
    .command("rulebook")
    .description("show, check, publish and list the versions of the rulebook");

  rulebook
    .command("show")
    .description("the rules of the current (or a given) rulebook version")
    .addOption(storeOption())
    .addOption(jsonOption())
    .option(
      "--version <n>",
      "a published version instead of the current one",
      wholeNumberOption(1, 1e9),
    )
    .addHelpText(
      "after",
      `
Examples:
  $ civic rulebook show
  $ civic rulebook show --version 1 --json

Exit codes: 0 ok, 2 usage error, 4 not initialised, 5 no such version, 6 storage error.`,
    )
    .action(async (options: { json?: boolean; version?: number }, command: Command) => {
      const shown = await withLedger(ledgerLocationOf(command), async ({ store, rulebook }) =>
        options.version === undefined ? rulebook : store.rulebookVersion(options.version),
      );
      if (!shown) throw new CliError(exitCodes.notFound, `no rulebook version ${options.version}`);
      if (options.json) printJson(cli.io, rulebookJson(shown));
      else cli.io.stdout(rulebookText(shown));
      cli.exitCode = exitCodes.ok;
    });

  rulebook
    .command("check")
    .description("validate a rulebook file without publishing it")
    .argument("<file>", "a rulebook in YAML, like rulebooks/default.yaml")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Each problem is printed as file:line:column: path: message. Needs no data folder.

Examples:
  $ civic rulebook check rulebooks/default.yaml
  $ civic rulebook check my-rules.yaml --json

Exit codes: 0 the rulebook compiles, 1 it has problems, 2 usage error (missing file).`,
    )
    .action(async (file: string, options: { json?: boolean }) => {
      const { result } = await parseRulebookFile(file);
      if (options.json) {
        printJson(
          cli.io,
          result.ok ? { ok: true, ...counts(result) } : { ok: false, problems: result.problems },
        );
      } else if (result.ok) {
        cli.io.stdout(
          `${file}: ok: '${result.rulebook.title}', ${result.rulebook.rules.length} rules, ${result.rulebook.benefits.length} benefits\n`,
        );
      } else {
        cli.io.stdout(problemsText(result.problems));
      }
      cli.exitCode = result.ok ? exitCodes.ok : exitCodes.failed;
    });

  rulebook
    .command("publish")
    .description("check a rulebook file and publish it as the next version")
    .argument("<file>", "a rulebook in YAML")
    .option(
      "--by <name>",
      "who publishes, recorded with the version; default: your operating-system account",
      parseActor,
    )
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
A rulebook with any problem is refused and the current version stays in force. A new version
prices the events ingested after it; older entries keep their points and their version.
Version 1 is not published with this command: it is the shipped default rulebook, which the
command that creates the ledger publishes and records under its own name ("civic init", or
"civic serve" or "civic simulate" on a new ledger). The audit log names the account that ran
it as the actor either way (cli:<account>).

Examples:
  $ civic rulebook publish rulebooks/2027.yaml --by "policy board"
  $ civic rulebook publish rulebooks/2027.yaml          # recorded as published by your account

Exit codes: 0 published, 1 refused (problems printed), 2 usage error, 4 not initialised,
6 storage error.`,
    )
    .action(async (file: string, options: PublishFlags, command: Command) => {
      const { result, text } = await parseRulebookFile(file);
      if (!result.ok) {
        if (options.json) printJson(cli.io, { published: false, problems: result.problems });
        else
          cli.io.stderr(
            `${problemsText(result.problems)}rulebook refused; the current version is unchanged\n`,
          );
        cli.exitCode = exitCodes.failed;
        return;
      }
      const published = await withLedger(ledgerLocationOf(command), ({ store }) =>
        store.publishRulebook(
          {
            text,
            rulebook: result.rulebook,
            publishedAt: cli.clock(),
            publishedBy: options.by ?? operatorName(),
          },
          (version) =>
            commandAuditLine("rulebook publish", {
              action: "rulebook.publish",
              target: `rulebook:${version.version}`,
              details: {
                title: version.rulebook.title,
                rules: version.rulebook.rules.length,
                publishedBy: version.publishedBy,
              },
            }),
        ),
      );
      if (options.json) printJson(cli.io, { published: true, version: published.version });
      else cli.io.stdout(`published ${file} as rulebook version ${published.version}\n`);
      cli.exitCode = exitCodes.ok;
    });

  rulebook
    .command("history")
    .description("every published version: when and by whom")
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Version 1 is the shipped default rulebook, recorded as published by the command that created
the ledger (civic init, civic serve or civic simulate); a later version by the --by of civic
rulebook publish (default: the operating-system account), or over the API by the admin key's
principal.

Examples:
  $ civic rulebook history
  $ civic rulebook history --json

Exit codes: 0 ok, 4 not initialised, 6 storage error.`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const history = await withLedger(ledgerLocationOf(command), ({ store }) =>
        store.rulebookHistory(),
      );
      if (options.json) {
        printJson(
          cli.io,
          history.map((version) => ({
            ...version,
            publishedAt: formatInstant(version.publishedAt),
          })),
        );
      } else {
        cli.io.stdout(
          formatTable(
            ["version", "title", "published", "by"],
            history.map((version) => [
              String(version.version),
              version.title,
              formatInstant(version.publishedAt),
              version.publishedBy,
            ]),
            { alignRight: [0] },
          ),
        );
      }
      cli.exitCode = exitCodes.ok;
    });
}

function counts(result: Extract<ParseResult, { ok: true }>) {
  return {
    title: result.rulebook.title,
    rules: result.rulebook.rules.length,
    benefits: result.rulebook.benefits.length,
  };
}

function parseActor(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 100 || /\p{Cc}/u.test(trimmed)) {
    throw new InvalidArgumentError("expected a name of 1 to 100 characters.");
  }
  return trimmed;
}
