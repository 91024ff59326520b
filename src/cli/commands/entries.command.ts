import type { Command } from "commander";
import { formatInstant, type Instant } from "../../core/time.js";
import { type EntryView, loadScoreView } from "../../ledger/score.view.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { atOption, jsonOption } from "../options.js";
import { entryJson } from "../render.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable, signed, truncate } from "../table.js";

/** Evidence is cut to this many characters in the table; `--json` has all of it. */
export const evidenceShownLengthMax = 48;

type EntriesFlags = Readonly<{ at?: Instant; json?: boolean }>;

export function registerEntriesCommand(program: Command, cli: CliContext): void {
  program
    .command("entries")
    .description("every entry of a subject: points, status, times, source, evidence, rule version")
    .argument("<subject>", "the subject's id")
    .addOption(atOption("show the entries as they stood at this time; default now"))
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Statuses: effective (counts), pending_review (waits for a human reviewer), capped (over the
rule's cap, 0 points), disputed (under appeal, does not count), reversed, rejected, expired.

Examples:
  $ civic entries c-001
  $ civic entries c-001 --at 2027-01-01 --json

Exit codes: 0 ok, 2 usage error (bad --at), 4 not initialised, 5 no such subject,
6 storage error.`,
    )
    .action(async (subjectId: string, options: EntriesFlags, command: Command) => {
      const at = options.at ?? cli.clock();
      const view = await withLedger(ledgerLocationOf(command), ({ store }) =>
        loadScoreView(store, subjectId, at),
      );
      if (!view) throw new CliError(exitCodes.notFound, `no enrolled subject '${subjectId}'`);
      if (options.json) {
        printJson(cli.io, {
          subject: view.subject.id,
          at: formatInstant(view.at),
          entries: view.entries.map(entryJson),
        });
      } else if (view.entries.length === 0) {
        cli.io.stdout(`${subjectId} has no entries at ${formatInstant(at)}\n`);
      } else {
        cli.io.stdout(entriesTable(view.entries));
      }
      cli.exitCode = exitCodes.ok;
    });
}

function entriesTable(entries: readonly EntryView[]): string {
  return formatTable(
    ["id", "type", "points", "status", "occurred", "expires", "source", "evidence", "rulebook"],
    entries.map(({ entry, status }) => [
      String(entry.id),
      entry.type,
      signed(entry.points),
      status,
      formatInstant(entry.occurredAt),
      formatInstant(entry.expiresAt),
      entry.source,
      truncate(
        entry.evidence.reference
          ? `${entry.evidence.description} [${entry.evidence.reference}]`
          : entry.evidence.description,
        evidenceShownLengthMax,
      ),
      `v${entry.rulebookVersion}`,
    ]),
    { alignRight: [0, 2] },
  );
}
