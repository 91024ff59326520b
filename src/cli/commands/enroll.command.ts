import type { Command } from "commander";
import { enrollRows } from "../../ingest/enroll.service.js";
import { readNdjsonLines } from "../../ingest/ndjson.reader.js";
import {
  readSubjects,
  subjectLineBytesMax,
  subjectsFormatOfName,
} from "../../ingest/subjects.reader.js";
import { countedTarget } from "../../store/access.store.js";
import { commandAuditLine } from "../audit.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { openInputFile } from "../input-file.js";
import { printJsonLine } from "../io.js";
import { jsonOption } from "../options.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

/** Bad rows listed on stderr in human output; `--json` lists every one. */
export const problemsShownMax = 20;

type EnrollFlags = Readonly<{ json?: boolean; strict?: boolean }>;

export function registerEnrollCommand(program: Command, cli: CliContext): void {
  program
    .command("enroll")
    .description("enroll the subjects of a file (NDJSON or CSV with an id,region header)")
    .argument("<file>", 'subjects: .ndjson/.jsonl lines {"id","region"}, or .csv with id,region')
    .addOption(storeOption())
    .addOption(jsonOption())
    .option("--strict", "exit 3 when any row was refused")
    .addHelpText(
      "after",
      `
Subjects already enrolled are left alone; bad rows are reported by line number and skipped.
The format follows the extension (.csv, .ndjson, .jsonl), otherwise the content.
With --json, stdout is NDJSON: {"line":N,"outcome":"invalid_row","message":"..."} per bad row,
then {"summary":{"enrolled":N,"already_enrolled":N,"invalid":N}}.

Examples:
  $ civic enroll subjects.csv
  $ civic enroll subjects.ndjson --json

Exit codes: 0 ok, 2 usage error (missing file), 3 rows refused with --strict, 4 not initialised.`,
    )
    .action(async (file: string, options: EnrollFlags, command: Command) => {
      const input = await openInputFile(file);
      const counts = await withLedger(ledgerLocationOf(command), async ({ store }) => {
        let shown = 0;
        const rows = readSubjects(
          readNdjsonLines(input.stream, { lineBytesMax: subjectLineBytesMax }),
          subjectsFormatOfName(file),
        );
        return enrollRows(rows, {
          store,
          clock: cli.clock,
          audit: (outcomes) =>
            commandAuditLine("enroll", {
              action: "subjects.enroll",
              target: countedTarget(outcomes.length, "subject"),
              details: {
                enrolled: outcomes.filter((outcome) => outcome === "enrolled").length,
                alreadyEnrolled: outcomes.filter((outcome) => outcome === "already_enrolled")
                  .length,
              },
            }),
          onProblem: ({ lineNumber, message }) => {
            if (options.json) {
              printJsonLine(cli.io, { line: lineNumber, outcome: "invalid_row", message });
            } else if (shown++ < problemsShownMax) {
              cli.io.stderr(`${file}:${lineNumber}: ${message}\n`);
            }
          },
        });
      }).finally(() => input.stream.destroy());
      if (options.json) {
        printJsonLine(cli.io, { summary: counts });
      } else {
        if (counts.invalid > problemsShownMax) {
          cli.io.stderr(
            `... ${counts.invalid - problemsShownMax} more bad rows not shown (--json lists every one)\n`,
          );
        }
        cli.io.stdout(
          formatTable(
            ["outcome", "subjects"],
            Object.entries(counts).map(([outcome, count]) => [outcome, String(count)]),
            { alignRight: [1] },
          ),
        );
      }
      cli.exitCode = options.strict && counts.invalid > 0 ? exitCodes.linesRefused : exitCodes.ok;
    });
}
