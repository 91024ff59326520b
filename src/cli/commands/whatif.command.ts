import type { Command } from "commander";
import type { Instant } from "../../core/time.js";
import { mostAffectedCountDefault, mostAffectedCountMax } from "../../core/whatif.js";
import { whatIf } from "../../ledger/whatif.js";
import { whatIfJson } from "../../ledger/whatif.view.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { printJson } from "../io.js";
import { atOption, jsonOption, wholeNumberOption } from "../options.js";
import { startProgress } from "../progress.js";
import { parseRulebookFile, problemsText } from "../rulebook-file.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { whatIfText } from "../whatif.render.js";

type WhatIfFlags = Readonly<{ rulebook: string; at?: Instant; top: number; json?: boolean }>;

export function registerWhatIfCommand(program: Command, cli: CliContext): void {
  program
    .command("whatif")
    .description("replay the stored history under a draft rulebook: who would change rating")
    .requiredOption("--rulebook <file>", "the draft rulebook in YAML, like rulebooks/default.yaml")
    .addOption(atOption("compare the scores at this time; default now"))
    .option(
      "--top <n>",
      `list the n subjects most affected (0 to ${mostAffectedCountMax})`,
      wholeNumberOption(0, mostAffectedCountMax),
      mostAffectedCountDefault,
    )
    .addOption(storeOption())
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
The policy lab. Every stored event is priced again by the draft (caps, expiry, the camera
confidence threshold), keeping what reviews and appeals decided: rejected and reversed entries
stay out, entries under appeal do not count. Each subject's score and rating now are compared
with the draft's: a matrix of rating moves, moves by region and by rule, and the subjects most
affected. The ledger is opened read-only: nothing is written, not even the clock.

Examples:
  $ civic whatif --rulebook rulebooks/2027.yaml
  $ civic whatif --rulebook draft.yaml --at 2027-01-01 --top 50 --json

Exit codes: 0 report printed, 1 the draft is refused (problems printed), 2 usage error
(missing or unreadable file, bad flag), 4 not initialised, 6 storage error (also a ledger at
another schema version, which a read-only open cannot migrate).`,
    )
    .action(async (options: WhatIfFlags, command: Command) => {
      const { result } = await parseRulebookFile(options.rulebook);
      if (!result.ok) {
        if (options.json) printJson(cli.io, { ok: false, problems: result.problems });
        else cli.io.stderr(`${problemsText(result.problems)}the draft rulebook is refused\n`);
        cli.exitCode = exitCodes.failed;
        return;
      }
      const at = options.at ?? cli.clock();
      const report = await withLedger(
        ledgerLocationOf(command),
        async ({ store }) => {
          const showProgress = !options.json && cli.io.stderrIsTty;
          const total = showProgress ? (await store.counts()).subjects : 0;
          const progress = startProgress(cli.io, {
            enabled: showProgress,
            total,
            unit: "subjects",
          });
          try {
            return await whatIf(store, {
              draft: result.rulebook,
              at,
              mostAffectedCount: options.top,
              onProgress: ({ subjects }) => progress.update(subjects),
            });
          } finally {
            progress.stop();
          }
        },
        { readOnly: true },
      );
      if (options.json) printJson(cli.io, whatIfJson(report));
      else cli.io.stdout(whatIfText(report, options.top));
      cli.exitCode = exitCodes.ok;
    });
}
