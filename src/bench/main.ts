import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Rulebook } from "../core/rulebook.js";
import { parseRulebook } from "../core/rulebook.parse.js";
import { benchHttp } from "./http.bench.js";
import { benchIngest } from "./ingest.bench.js";
import { benchJetStream } from "./jetstream.bench.js";
import {
  benchPipeline,
  pipelineBenchNatsVariable,
  pipelineBenchStoreVariable,
} from "./pipeline.bench.js";
import {
  benchPostgres,
  postgresBenchUrlDefault,
  postgresBenchUrlVariable,
} from "./postgres.bench.js";
import { benchReplay } from "./replay.bench.js";
import { type BenchResult, formatResults } from "./report.js";
import { benchSimulate } from "./simulate.bench.js";
import { benchWhatIf } from "./whatif.bench.js";

const defaultRulebookPath = fileURLToPath(new URL("../../rulebooks/default.yaml", import.meta.url));

type Benchmark = (rulebook: Rulebook, scale: number) => Promise<BenchResult[]>;

/** Every benchmark by the name `CIVIC_BENCH_ONLY` selects it with, in the order they run. */
const benchmarks: Readonly<Record<string, Benchmark>> = {
  ingest: (rulebook, scale) =>
    benchIngest(rulebook, {
      events: Math.round(1_000_000 * scale),
      subjects: Math.round(100_000 * scale),
      rulebookPath: defaultRulebookPath,
    }),
  replay: async (rulebook) => [
    benchReplay(rulebook, { events: 10_000_000, subjects: 1_000_000, runs: 5 }),
  ],
  whatif: (rulebook, scale) =>
    benchWhatIf(rulebook, {
      events: Math.max(1_000, Math.round(10_000_000 * scale)),
      subjects: Math.max(100, Math.round(1_000_000 * scale)),
      runs: 3,
      rulebookPath: defaultRulebookPath,
    }),
  http: (rulebook, scale) =>
    benchHttp(rulebook, {
      events: Math.max(1_000, Math.round(100_000 * scale)),
      subjects: Math.max(100, Math.round(10_000 * scale)),
      // A smaller scale shortens the lookup runs too; a larger one does not lengthen them.
      lookupSeconds: Math.max(1, Math.round(10 * Math.min(1, scale))),
    }),
  postgres: (rulebook, scale) =>
    benchPostgres(rulebook, {
      events: Math.max(10_000, Math.round(500_000 * scale)),
      subjects: Math.max(1_000, Math.round(50_000 * scale)),
      batchEvents: 10_000,
      url: process.env[postgresBenchUrlVariable] || postgresBenchUrlDefault,
    }),
  pipeline: (rulebook, scale) =>
    benchPipeline(rulebook, {
      events: Math.max(2_000, Math.round(100_000 * scale)),
      subjects: Math.max(200, Math.round(10_000 * scale)),
      nats: process.env[pipelineBenchNatsVariable] || "nats://127.0.0.1:4222",
      store: process.env[pipelineBenchStoreVariable] || "sqlite",
    }),
  jetstream: (rulebook, scale) =>
    benchJetStream(rulebook, {
      messages: Math.max(2_000, Math.round(50_000 * scale)),
      // A request of 1,000 events over 256 partitions leaves about 4 in each.
      eventsPerMessage: 4,
      nats: process.env[pipelineBenchNatsVariable] || "nats://127.0.0.1:4222",
    }),
  simulate: async (_rulebook, scale) =>
    benchSimulate({ subjects: Math.max(1_000, Math.round(1_000_000 * scale)), days: 30 }),
};

/** `CIVIC_BENCH_ONLY=http,replay` runs only those; unset or empty runs them all. */
function selectedNames(only: string | undefined): string[] {
  const names = Object.keys(benchmarks);
  if (only === undefined || only.trim() === "") return names;
  const wanted = only.split(",").map((name) => name.trim());
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new Error(`CIVIC_BENCH_ONLY: unknown ${unknown.join(", ")}; known: ${names.join(", ")}`);
  }
  return names.filter((name) => wanted.includes(name));
}

async function main(): Promise<void> {
  const names = selectedNames(process.env.CIVIC_BENCH_ONLY);
  const scale = Number(process.env.CIVIC_BENCH_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`CIVIC_BENCH_SCALE must be a positive number, not ${scale}`);
  const parsed = parseRulebook(readFileSync(defaultRulebookPath, "utf8"), defaultRulebookPath);
  if (!parsed.ok) throw new Error("the default rulebook does not compile");
  const results: BenchResult[] = [];
  for (const name of names) {
    process.stderr.write(`running: ${name}\n`);
    results.push(...(await (benchmarks[name] as Benchmark)(parsed.rulebook, scale)));
  }
  process.stdout.write(`${formatResults(results)}\n`);
}

await main();
