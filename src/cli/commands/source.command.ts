import { type Command, Option } from "commander";
import {
  type SourceKind,
  type SourceProfile,
  sourceKinds,
  typeMatches,
} from "../../core/source.js";
import { commandAuditLine } from "../audit.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { jsonOption, parseNameArgument, parseTypePatterns } from "../options.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

type AddFlags = Readonly<{ kind: SourceKind; types: string[]; json?: boolean }>;

export function registerSourceCommand(program: Command, cli: CliContext): void {
  const source = program
    .command("source")
    .description("add and list reporting sources (agencies, partners, cameras)");

  source
    .command("add")
    .description("add a source and the event types it may report")
    .argument("<name>", "the source's name, e.g. traffic-police", parseNameArgument)
    .addOption(
      new Option("--kind <kind>", "who reports").choices(sourceKinds).makeOptionMandatory(),
    )
    .requiredOption(
      "--types <patterns>",
      "event types it may report, comma separated; 'traffic.*' means every traffic type",
      parseTypePatterns,
    )
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Examples:
  $ civic source add traffic-police --kind agency --types 'traffic.*,public.*'
  $ civic source add city-bank --kind partner --types finance.payment_default,finance.loan_repaid_on_time
  $ civic source add crossing-cam-7 --kind camera --types traffic.red_light

Exit codes: 0 ok, 1 refused (the name is taken), 2 usage error, 4 not initialised,
6 storage error.`,
    )
    .action(async (name: string, options: AddFlags, command: Command) => {
      await withLedger(ledgerLocationOf(command), async ({ store, rulebook }) => {
        const added = await store.addSource(
          { name, kind: options.kind, allowedTypes: options.types },
          cli.clock(),
          (source) =>
            "refused" in source
              ? undefined
              : commandAuditLine("source add", {
                  action: "source.add",
                  target: `source:${source.name}`,
                  details: { kind: source.kind, allowedTypes: source.allowedTypes },
                }),
        );
        if ("refused" in added) throw new CliError(exitCodes.failed, added.refused);
        const unmatched = options.types.filter(
          (pattern) => !rulebook.rulebook.rules.some((rule) => typeMatches(pattern, rule.type)),
        );
        for (const pattern of unmatched) {
          cli.io.stderr(
            `warning: no rule of rulebook version ${rulebook.version} has a type matching '${pattern}'\n`,
          );
        }
        if (options.json) printJson(cli.io, added);
        else
          cli.io.stdout(
            `added source ${added.name} (${added.kind}): may report ${added.allowedTypes.join(", ")}\n`,
          );
      });
      cli.exitCode = exitCodes.ok;
    });

  source
    .command("list")
    .description("list the sources and the event types each may report")
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Examples:
  $ civic source list
  $ civic source list --json

Exit codes: 0 ok, 4 not initialised, 6 storage error.`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const sources = await withLedger(ledgerLocationOf(command), ({ store }) => store.sources());
      if (options.json) printJson(cli.io, sources);
      else cli.io.stdout(sourcesTable(sources));
      cli.exitCode = exitCodes.ok;
    });
}

function sourcesTable(sources: readonly SourceProfile[]): string {
  if (sources.length === 0)
    return "no sources yet; add one with: civic source add NAME --kind KIND --types TYPES\n";
  return formatTable(
    ["name", "kind", "may report"],
    sources.map((source) => [source.name, source.kind, source.allowedTypes.join(", ")]),
  );
}
