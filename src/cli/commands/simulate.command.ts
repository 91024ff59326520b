import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { formatInstant, type Instant } from "../../core/time.js";
import { renderChart } from "../../sim/chart.svg.js";
import { HttpDriver } from "../../sim/driver.http.js";
import type { CityDriver } from "../../sim/driver.js";
import { ProcessDriver } from "../../sim/driver.process.js";
import { regionsMax, subjectsMax } from "../../sim/population.js";
import { seedMax } from "../../sim/random.js";
import type { SimulationReport } from "../../sim/report.js";
import {
  daysMax,
  falseMatchRateDefault,
  runSimulation,
  type SimulationOptions,
} from "../../sim/simulation.js";
import { openSqliteStore, sqliteDatabasePath } from "../../store/sqlite/sqlite.store.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { dataDirectoryOf } from "../data-folder.js";
import { exitCodes } from "../exit-codes.js";
import { initialiseLedger } from "../initialise.js";
import { printJson } from "../io.js";
import { jsonOption, parseTimeOption, wholeNumberOption } from "../options.js";
import { type Progress, startProgress } from "../progress.js";
import { auditText, renderReport } from "../simulate.render.js";

type SimulateFlags = Readonly<{
  subjects: number;
  days: number;
  regions: number;
  seed?: number;
  falseMatchRate: number;
  faults?: boolean;
  end?: Instant;
  url?: string;
  key?: string;
  json?: boolean;
  chart?: string;
}>;

export function registerSimulateCommand(program: Command, cli: CliContext): void {
  program
    .command("simulate")
    .description("run a seeded simulated city through the ledger and audit every score")
    .addOption(
      new Option("--subjects <n>", "people enrolled")
        .argParser(wholeNumberOption(1, subjectsMax))
        .default(2_000),
    )
    .addOption(
      new Option("--days <n>", "days simulated, ending now (or at --end)")
        .argParser(wholeNumberOption(1, daysMax))
        .default(60),
    )
    .addOption(
      new Option("--regions <n>", "trial regions")
        .argParser(wholeNumberOption(1, regionsMax))
        .default(12),
    )
    .addOption(
      new Option(
        "--seed <n>",
        "the seed: the same seed gives the same ledger (default random)",
      ).argParser(wholeNumberOption(0, seedMax)),
    )
    .addOption(
      new Option(
        "--false-match-rate <share>",
        "share of camera infractions pinned on the wrong person",
      )
        .argParser(parseShare)
        .default(falseMatchRateDefault),
    )
    .option(
      "--faults",
      "duplicate, late, reordered and misdirected reports, and a crash of the ingesting process",
    )
    .addOption(
      new Option("--end <time>", "the last simulated instant (default now)").argParser(
        parseTimeOption,
      ),
    )
    .addOption(
      new Option("--url <url>", "drive a running civic serve over HTTP instead").argParser(
        parseUrl,
      ),
    )
    .addOption(
      new Option("--key <admin-key>", "the server's admin key, with --url").env("CIVIC_ADMIN_KEY"),
    )
    .addOption(jsonOption())
    .option("--chart <file>", "write the ratings by region over time as an SVG chart")
    .addHelpText(
      "after",
      `
A population of personas (careful, average, reckless driver, debtor, volunteer, heavy gamer)
is reported day by day by agencies, partner companies and cameras; cameras pin some
infractions on the wrong person. People consent, appeal and are asked about; reviewers work
their queues with a daily capacity. Everything goes through the real ingest, access and appeal
services (or, with --url, the HTTP API with keys). An independent reference model follows
every answer and recomputes every score and rating: any difference fails the run, naming the
seed and the first differing subject.

In process the city is written to --data if given (a new or empty folder), else to a
temporary folder that is removed afterwards. Over HTTP the server's clock is the time: events
of the past --days are reported now, and names get a prefix of their own.

Examples:
  $ civic simulate --subjects 2000 --days 60 --seed 7 --faults
  $ civic simulate --subjects 5000 --days 180 --regions 12 --seed 1 --json > run.json
  $ civic simulate --seed 7 --chart ratings.svg --data ./city
  $ civic simulate --subjects 200 --days 30 --url http://127.0.0.1:8080 --key "$(cat data/admin-key.txt)"

Exit codes: 0 the audit passed, 1 the audit found differences, 2 usage error.`,
    )
    .action(async (options: SimulateFlags, command: Command) => {
      const now = cli.clock();
      const dataGiven = dataFolderGiven(command);
      checkFlags(options, { dataGiven, now });
      const seed = options.seed ?? Math.floor(Math.random() * seedMax);
      const base = {
        subjects: options.subjects,
        days: options.days,
        regions: options.regions,
        seed,
        falseMatchRate: options.falseMatchRate,
        faults: options.faults ?? false,
      };
      const progress = startProgress(cli.io, {
        enabled: !options.json,
        total: options.days,
        unit: "days",
      });
      let daysDone = 0;
      const onProgress = ({ day, reports }: { day: number; reports: number }) => {
        daysDone = day;
        progress.update(day, `${reports.toLocaleString("en-US")} reports`);
      };
      const status = (text: string) => progress.update(daysDone, text);
      let report: SimulationReport;
      try {
        report = options.url
          ? await overHttp({ ...base, endAt: now - 60_000, onProgress }, options, {
              cli,
              progress,
              status,
            })
          : await inProcess(
              { ...base, endAt: options.end ?? now, onProgress },
              {
                dataDirectory: dataGiven ? dataDirectoryOf(command) : undefined,
              },
            );
      } finally {
        progress.stop();
      }
      if (options.chart) await writeFile(options.chart, renderChart(report));
      if (options.json) printJson(cli.io, report);
      else cli.io.stdout(renderReport(report));
      if (!report.audit.ok) {
        if (options.json) cli.io.stderr(auditText(report));
        cli.io.stderr(
          `civic: the audit failed with seed ${report.seed}; first differing subject: ${report.audit.firstDifferingSubject ?? "none named"}\n`,
        );
      }
      cli.exitCode = report.audit.ok ? exitCodes.ok : exitCodes.failed;
    });
}

async function inProcess(
  options: SimulationOptions,
  { dataDirectory }: Readonly<{ dataDirectory: string | undefined }>,
): Promise<SimulationReport> {
  const temporary =
    dataDirectory === undefined ? mkdtempSync(join(tmpdir(), "civic-simulate-")) : undefined;
  const folder = dataDirectory ?? (temporary as string);
  const path = sqliteDatabasePath(folder);
  const store = openSqliteStore({ path });
  try {
    if (await store.currentRulebook()) {
      throw new CliError(
        exitCodes.usage,
        `the data folder ${folder} already holds a ledger; civic simulate fills a new one (name a new or empty folder with --data, or leave --data out for a temporary one)`,
      );
    }
    const startAt = options.endAt - options.days * 86_400_000;
    await initialiseLedger(store, { at: startAt, by: "civic simulate" });
    const { report } = await runSimulation(new ProcessDriver(store, path), options);
    return report;
  } finally {
    await store.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

async function overHttp(
  options: SimulationOptions,
  flags: SimulateFlags,
  context: Readonly<{ cli: CliContext; progress: Progress; status: (text: string) => void }>,
): Promise<SimulationReport> {
  const tag = `sim-${options.seed.toString(36)}-${Date.now().toString(36).slice(-5)}-`;
  const waited = new Set<string>();
  const driver: CityDriver = new HttpDriver({
    url: flags.url as string,
    adminKey: flags.key as string,
    namePrefix: tag,
    onWait: (seconds, path) => {
      if (context.progress.active) context.status(`rate limited on ${path}: waiting ${seconds} s`);
      else if (!waited.has(path)) {
        waited.add(path);
        context.cli.io.stderr(
          `civic: the server rate-limits ${path}; waiting as it asks (${seconds} s)\n`,
        );
      }
    },
  });
  try {
    const { report } = await runSimulation(driver, { ...options, idPrefix: tag });
    return report;
  } catch (error) {
    if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      throw new CliError(
        exitCodes.usage,
        `cannot reach ${flags.url}: ${String((error as { cause?: unknown }).cause ?? error.message)}`,
      );
    }
    throw error;
  }
}

function checkFlags(
  options: SimulateFlags,
  context: Readonly<{ dataGiven: boolean; now: Instant }>,
): void {
  const usage = (message: string) => new CliError(exitCodes.usage, message);
  if (options.url && !options.key)
    throw usage("--url needs --key with the server's admin key (or CIVIC_ADMIN_KEY)");
  if (options.key && !options.url)
    throw usage("--key is the admin key of the server named by --url; give --url too");
  if (options.url && context.dataGiven)
    throw usage("--url drives a server; --data is for a simulation in this process, not both");
  if (options.url && options.end !== undefined)
    throw usage(
      "--end is for a simulation in this process; over HTTP the server's clock is the time",
    );
  if (options.end !== undefined && options.end > context.now) {
    throw usage(
      `--end ${formatInstant(options.end)} is in the future; the simulated days end at the latest now`,
    );
  }
  if (options.chart) {
    const folder = dirname(resolve(options.chart));
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw usage(`--chart ${options.chart}: the folder ${folder} does not exist`);
    }
  }
}

/** True when --data or CIVIC_DATA names a folder (else the run uses a temporary one). */
function dataFolderGiven(command: Command): boolean {
  if (command.opts<{ data?: string }>().data !== undefined) return true;
  const source = command.parent?.getOptionValueSource("data");
  return source === "cli" || source === "env";
}

function parseShare(value: string): number {
  const share = /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(share >= 0 && share <= 1))
    throw new InvalidArgumentError("expected a share from 0 to 1, e.g. 0.05.");
  return share;
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      "expected an http:// or https:// URL, e.g. http://127.0.0.1:8080.",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(
      "expected an http:// or https:// URL, e.g. http://127.0.0.1:8080.",
    );
  }
  return value.replace(/\/+$/, "");
}
