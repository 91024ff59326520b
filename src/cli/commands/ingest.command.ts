import type { Readable } from "node:stream";
import { type Command, Option } from "commander";
import { batchEventsMax } from "../../core/batch.js";
import { type OutcomeCounts, outcomeKinds } from "../../core/outcome.js";
import {
  type BatchReport,
  ingestBatchSizeDefault,
  ingestLines,
  type LineRefusal,
} from "../../ingest/ingest.service.js";
import { readNdjsonLines } from "../../ingest/ndjson.reader.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { exitCodes } from "../exit-codes.js";
import { collectEvery, collectEveryLines } from "../garbage.js";
import { openInputFile } from "../input-file.js";
import { printJsonLine } from "../io.js";
import { jsonOption, parseNameArgument, wholeNumberOption } from "../options.js";
import { startProgress } from "../progress.js";
import { ledgerLocationOf, storeOption, withLedger } from "../store-option.js";
import { formatTable } from "../table.js";

/** Refused lines listed on stderr in human output; `--json` lists every one. */
export const refusalsShownMax = 20;

type IngestFlags = Readonly<{
  source: string;
  batchSize: number;
  json?: boolean;
  strict?: boolean;
}>;

export function registerIngestCommand(program: Command, cli: CliContext): void {
  program
    .command("ingest")
    .description("ingest a file of conduct events (NDJSON, one event per line) from one source")
    .argument("<file>", "NDJSON events, or - for stdin")
    .requiredOption(
      "--source <name>",
      "the reporting source (see civic source list)",
      parseNameArgument,
    )
    .addOption(
      new Option("--batch-size <n>", "events per committed batch")
        .argParser(wholeNumberOption(1, batchEventsMax))
        .default(ingestBatchSizeDefault),
    )
    .addOption(storeOption())
    .addOption(jsonOption())
    .option("--strict", "exit 3 when any line was refused")
    .addHelpText(
      "after",
      `
Each line is one event:
  {"id":"tp-1","subject":"c-001","type":"traffic.red_light","occurredAt":"2026-03-01T08:30:00Z",
   "evidence":{"description":"Camera 7, signal red for 3 s","reference":"TP-2026-1"}}
Every line gets one outcome: ${outcomeKinds.join(", ")}.
A refused line never costs the good lines around it; batches commit whole or not at all, so an
interrupted run can simply be repeated (what is in already comes back as duplicate).

With --json, stdout is NDJSON:
  {"line":N,"outcome":"...","message":"..."}            per refused line, as it happens
  {"committed":{"lastLine":N,"accepted":K,"acceptedTotal":T}}  after each committed batch
  {"summary":{"accepted":N,"duplicate":N,...}}           at the end, every outcome

Examples:
  $ civic ingest events.ndjson --source traffic-police
  $ civic ingest events.ndjson --source city-bank --batch-size 1000 --json
  $ generate-events | civic ingest - --source crossing-cam-7

Exit codes: 0 ok (even with refused lines), 2 usage error, 3 lines refused with --strict,
4 not initialised, 5 no such source, 6 storage error (the batches committed before it stay;
rerunning the same file is safe).`,
    )
    .action(async (file: string, options: IngestFlags, command: Command) => {
      const input: { stream: Readable; bytes: number } =
        file === "-" ? { stream: cli.io.stdin, bytes: 0 } : await openInputFile(file);
      const counts = await withLedger(ledgerLocationOf(command), async ({ store }) => {
        const source = await store.source(options.source);
        if (!source) {
          throw new CliError(
            exitCodes.notFound,
            `no source named '${options.source}'; add it with: civic source add ${options.source} --kind KIND --types TYPES`,
          );
        }
        const report = ingestReporter(cli, file, options, input);
        try {
          const result = await ingestLines(readNdjsonLines(input.stream), {
            store,
            source,
            clock: cli.clock,
            batchSize: options.batchSize,
            onBatch: report.batch,
            onRefusal: report.refusal,
          });
          return result.counts;
        } finally {
          report.finish();
        }
      }).finally(() => input.stream.destroy());
      if (options.json) {
        printJsonLine(cli.io, { summary: counts });
      } else {
        cli.io.stdout(summaryTable(file, counts));
      }
      const refused = Object.entries(counts).some(
        ([kind, count]) => kind !== "accepted" && kind !== "duplicate" && count > 0,
      );
      cli.exitCode = options.strict && refused ? exitCodes.linesRefused : exitCodes.ok;
    });
}

function ingestReporter(
  cli: CliContext,
  file: string,
  options: IngestFlags,
  input: Readonly<{ stream: Readable; bytes: number }>,
) {
  const progress = startProgress(cli.io, {
    enabled: !options.json,
    total: input.bytes,
    unit: "bytes",
  });
  const held: string[] = [];
  let refusals = 0;
  const collect = collectEvery(collectEveryLines);
  return {
    refusal: (refusal: LineRefusal) => {
      refusals++;
      if (options.json) {
        printJsonLine(cli.io, {
          line: refusal.lineNumber,
          outcome: refusal.kind,
          message: refusal.message,
        });
        return;
      }
      if (refusals > refusalsShownMax) return;
      const text = `${file}:${refusal.lineNumber}: ${refusal.kind}: ${refusal.message}\n`;
      // The bar redraws its line; refusals wait until it is gone.
      if (progress.active) held.push(text);
      else cli.io.stderr(text);
    },
    batch: (report: BatchReport) => {
      collect(report.lastLineNumber);
      if (options.json) {
        printJsonLine(cli.io, {
          committed: {
            lastLine: report.lastLineNumber,
            accepted: report.batch.accepted,
            acceptedTotal: report.counts.accepted,
          },
        });
      }
      const bytesRead = (input.stream as { bytesRead?: number }).bytesRead ?? 0;
      progress.update(
        bytesRead,
        `line ${report.lastLineNumber}, ${report.counts.accepted} accepted`,
      );
    },
    finish: () => {
      progress.stop();
      for (const text of held) cli.io.stderr(text);
      if (!options.json && refusals > refusalsShownMax) {
        cli.io.stderr(
          `... ${refusals - refusalsShownMax} more refused lines not shown (--json lists every one)\n`,
        );
      }
    },
  };
}

function summaryTable(file: string, counts: OutcomeCounts): string {
  const total = outcomeKinds.reduce((sum, kind) => sum + counts[kind], 0);
  const refused = total - counts.accepted - counts.duplicate;
  return `${file}: ${total} events, ${counts.accepted} accepted, ${counts.duplicate} duplicate, ${refused} refused\n${formatTable(
    ["outcome", "lines"],
    outcomeKinds.map((kind) => [kind, String(counts[kind])]),
    { alignRight: [1] },
  )}`;
}
