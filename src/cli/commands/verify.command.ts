import type { Command } from "commander";
import { formatInstant, type Instant } from "../../core/time.js";
import { type VerifyReport, verifyLedger } from "../../ledger/verify.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { atOption, jsonOption } from "../options.js";
import { startProgress } from "../progress.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

type VerifyFlags = Readonly<{ at?: Instant; json?: boolean }>;

export function registerVerifyCommand(program: Command, cli: CliContext): void {
  program
    .command("verify")
    .description("recompute every stored score from its entries and compare")
    .addOption(atOption("first apply the expiries due by this time; default now"))
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
The auditor: every subject's score is recomputed from its entries with the pure core and
compared with the stored score and rating. Any difference is a bug, listed subject by subject.

Examples:
  $ civic verify
  $ civic verify --json

--at may not be later than now: verifying moves the ledger clock to that time.

Exit codes: 0 every score matches, 1 differences found, 2 usage error, 4 not initialised,
6 storage error.`,
    )
    .action(async (options: VerifyFlags, command: Command) => {
      const now = cli.clock();
      // Verifying moves the ledger clock, and the clock is the receiver's time for the next
      // ingest: a clock in the future would let future-dated events through.
      if (options.at !== undefined && options.at > now) {
        throw new CliError(
          exitCodes.usage,
          `--at ${formatInstant(options.at)} is in the future; verify moves the ledger clock, so it only goes up to now`,
        );
      }
      const report = await withLedger(ledgerLocationOf(command), async ({ store }) => {
        const subjectsTotal = (await store.counts()).subjects;
        const progress = startProgress(cli.io, {
          enabled: !options.json,
          total: subjectsTotal,
          unit: "subjects",
        });
        try {
          return await verifyLedger(store, {
            at: options.at ?? now,
            onProgress: ({ subjectsChecked }) => progress.update(subjectsChecked),
          });
        } finally {
          progress.stop();
        }
      });
      if (options.json) printJson(cli.io, reportJson(report));
      else cli.io.stdout(reportText(report));
      cli.exitCode = report.differenceCount === 0 ? exitCodes.ok : exitCodes.failed;
    });
}

function reportJson(report: VerifyReport) {
  return {
    ok: report.differenceCount === 0,
    at: formatInstant(report.at),
    subjects: report.subjects,
    entries: report.entries,
    differenceCount: report.differenceCount,
    differences: report.differences,
  };
}

function reportText(report: VerifyReport): string {
  const checked = `${report.subjects} subjects and ${report.entries} entries at ${formatInstant(report.at)}`;
  if (report.differenceCount === 0) return `verified ${checked}: every score matches\n`;
  const shown = report.differences.length;
  return `verification FAILED: ${report.differenceCount} of ${report.subjects} stored scores differ from the recomputation (${checked})
${formatTable(
  ["subject", "stored score", "stored rating", "recomputed score", "recomputed rating"],
  report.differences.map((difference) => [
    difference.subjectId,
    difference.stored ? String(difference.stored.score) : "missing",
    difference.stored?.rating ?? "missing",
    String(difference.recomputed.score),
    difference.recomputed.rating,
  ]),
  { alignRight: [1, 3] },
)}${shown < report.differenceCount ? `... ${report.differenceCount - shown} more not shown\n` : ""}`;
}
