import type { Command } from "commander";
import { enrollRows, type RowRefusal } from "../../ingest/enroll.service.js";
import { readNdjsonLines } from "../../ingest/ndjson.reader.js";
import {
  readSubjects,
  SubjectsHeaderError,
  subjectLineBytesMax,
  subjectRefusalKinds,
  subjectsFormatOfName,
} from "../../ingest/subjects.reader.js";
import { countedTarget } from "../../store/access.store.js";
import { commandAuditLine } from "../audit.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { openInputFile } from "../input-file.js";
import { printJsonLine } from "../io.js";
import { jsonOption } from "../options.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

/** Refused rows listed on stderr in human output; `--json` lists every one. */
export const refusalsShownMax = 20;

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
Subjects already enrolled are left alone; bad rows are reported by line number and skipped,
each with its refusal: ${subjectRefusalKinds.join(", ")}.
The format follows the extension (.csv, .ndjson, .jsonl), otherwise the content. A CSV file
must start with the header line id,region (in any order, more columns allowed); a file without
it is refused whole (exit 2) and nothing is enrolled.
With --json, stdout is NDJSON: {"line":N,"outcome":"...","message":"..."} per bad row,
then {"summary":{"enrolled":N,"already_enrolled":N,"invalid":N}}.

Examples:
  $ civic enroll subjects.csv
  $ civic enroll subjects.ndjson --json

Exit codes: 0 ok (even with refused rows), 2 usage error (missing file, a CSV file without its
header), 3 rows refused with --strict, 4 not initialised, 6 storage error.`,
    )
    .action(async (file: string, options: EnrollFlags, command: Command) => {
      const input = await openInputFile(file);
      const report = refusalReporter(cli, file, options);
      const counts = await withLedger(ledgerLocationOf(command), async ({ store }) => {
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
          onRefusal: report,
        });
      })
        .catch((error: unknown) => {
          if (!(error instanceof SubjectsHeaderError)) throw error;
          throw new CliError(
            exitCodes.usage,
            `${file}:${error.lineNumber}: ${error.message}; nothing was enrolled`,
          );
        })
        .finally(() => input.stream.destroy());
      if (options.json) {
        printJsonLine(cli.io, { summary: counts });
      } else {
        if (counts.invalid > refusalsShownMax) {
          cli.io.stderr(
            `... ${counts.invalid - refusalsShownMax} more refused rows not shown (--json lists every one)\n`,
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

/** Each refused row as ingest reports a refused line: `file:line: kind: message`, or NDJSON. */
function refusalReporter(
  cli: CliContext,
  file: string,
  options: EnrollFlags,
): (refusal: RowRefusal) => void {
  let shown = 0;
  return ({ lineNumber, kind, message }) => {
    if (options.json) {
      printJsonLine(cli.io, { line: lineNumber, outcome: kind, message });
    } else if (shown++ < refusalsShownMax) {
      cli.io.stderr(`${file}:${lineNumber}: ${kind}: ${message}\n`);
    }
  };
}
