import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseRulebook } from "../core/rulebook.parse.js";
import { benchIngest } from "./ingest.bench.js";
import { benchReplay } from "./replay.bench.js";
import { type BenchResult, formatResults } from "./report.js";

const defaultRulebookPath = fileURLToPath(new URL("../../rulebooks/default.yaml", import.meta.url));

async function main(): Promise<void> {
  const parsed = parseRulebook(readFileSync(defaultRulebookPath, "utf8"), defaultRulebookPath);
  if (!parsed.ok) throw new Error("the default rulebook does not compile");
  const results: BenchResult[] = [];
  const step = (name: string) => process.stderr.write(`running: ${name}\n`);

  const scale = Number(process.env.CIVIC_BENCH_SCALE ?? 1);
  step("durable ingest");
  results.push(
    ...(await benchIngest(parsed.rulebook, {
      events: Math.round(1_000_000 * scale),
      subjects: Math.round(100_000 * scale),
      rulebookPath: defaultRulebookPath,
    })),
  );

  step("replay");
  results.push(benchReplay(parsed.rulebook, { events: 10_000_000, subjects: 1_000_000, runs: 5 }));

  process.stdout.write(`${formatResults(results)}\n`);
}

await main();
