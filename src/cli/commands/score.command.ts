import type { Command } from "commander";
import { formatInstant, type Instant } from "../../core/time.js";
// The citizen API's wording of benefit progress, so that the command and the API say the same.
import { benefitProgress, loadScoreView, type ScoreView } from "../../ledger/score.view.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { atOption, jsonOption } from "../options.js";
import { scoreViewJson } from "../render.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable, signed } from "../table.js";

/** Rating changes listed in human output; `--json` has all of them. */
export const ratingChangesShownMax = 10;

type ScoreFlags = Readonly<{ at?: Instant; json?: boolean }>;

export function registerScoreCommand(program: Command, cli: CliContext): void {
  program
    .command("score")
    .description(
      "a subject's score, rating, rating history and benefits, recomputed from its entries",
    )
    .argument("<subject>", "the subject's id")
    .addOption(atOption("the time to compute the score at; default now"))
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Examples:
  $ civic score c-001
  $ civic score c-001 --at 2026-01-01
  $ civic score c-001 --at 2026-03-01T08:30:00Z --json

Exit codes: 0 ok, 2 usage error (bad --at), 4 not initialised, 5 no such subject,
6 storage error.`,
    )
    .action(async (subjectId: string, options: ScoreFlags, command: Command) => {
      const at = options.at ?? cli.clock();
      const view = await withLedger(ledgerLocationOf(command), ({ store }) =>
        loadScoreView(store, subjectId, at),
      );
      if (!view) throw new CliError(exitCodes.notFound, `no enrolled subject '${subjectId}'`);
      if (options.json) printJson(cli.io, scoreViewJson(view));
      else cli.io.stdout(scoreText(view));
      cli.exitCode = exitCodes.ok;
    });
}

function scoreText(view: ScoreView): string {
  const { summary } = view;
  const statuses = Object.entries(summary.entriesByStatus)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  const entryCount = view.entries.length;
  const lines = [
    `subject   ${view.subject.id} (region ${view.subject.region}, enrolled ${formatInstant(view.subject.enrolledAt)})`,
    `at        ${formatInstant(view.at)} (rulebook version ${view.rulebookVersion})`,
    `score     ${view.score} (base ${view.baseScore}, ${signed(summary.pointsGained)} gained, ${signed(-summary.pointsLost)} lost)`,
    `rating    ${view.rating}`,
    `entries   ${entryCount}${entryCount > 0 ? ` (${statuses}); ${summary.entriesCounting} counting` : ""}`,
  ];
  if (summary.nextExpiry) {
    lines.push(
      `next      ${formatInstant(summary.nextExpiry.at)}: entry ${summary.nextExpiry.entryId} (${signed(summary.nextExpiry.points)}) expires`,
    );
  }
  const history = view.ratingHistory.slice(-ratingChangesShownMax);
  const hidden = view.ratingHistory.length - history.length;
  return `${lines.join("\n")}

rating history${hidden > 0 ? ` (the last ${history.length}; ${hidden} earlier not shown)` : ""}
${formatTable(
  ["since", "score", "rating"],
  history.map((point) => [formatInstant(point.at), String(point.score), point.rating]),
  { alignRight: [1] },
)}
benefits
${formatTable(
  ["benefit", "requires", "progress", "eligible"],
  view.benefits.map((benefit) => [
    benefit.name,
    `${benefit.ratingMin}${benefit.requiredDays > 0 ? ` for ${benefit.requiredDays} days` : " now"}`,
    benefitProgress(benefit),
    benefit.eligible ? "yes" : "no",
  ]),
)}`;
}
