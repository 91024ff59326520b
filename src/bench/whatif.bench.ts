import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryChunk } from "../core/history.js";
import type { Rulebook } from "../core/rulebook.js";
import { parseRulebook } from "../core/rulebook.parse.js";
import { WhatIfTally } from "../core/whatif.js";
import { whatIf } from "../ledger/whatif.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import { bareSumSeconds } from "./replay.bench.js";
import type { BenchResult } from "./report.js";
import { buildStoredHistory } from "./whatif.fixture.js";

export type WhatIfBenchOptions = Readonly<{
  events: number;
  subjects: number;
  runs: number;
  rulebookPath: string;
}>;

const goalEventsPerSecond = 10_000_000;
const end = Date.UTC(2026, 0, 1);

/**
 * The policy lab over a stored ledger: `whatIf` on a SQLite file opened read-only, as `civic
 * whatif` runs it (read the history, replay it under a draft, build the report), and the replay
 * and report alone on the same history held in memory, each beside the bare typed-array sum of
 * the same events (the replay benchmark's baseline) measured in the same run.
 */
export async function benchWhatIf(
  rulebook: Rulebook,
  options: WhatIfBenchOptions,
): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-whatif-"));
  try {
    const path = sqliteDatabasePath(folder);
    const rulebookText = readFileSync(options.rulebookPath, "utf8");
    let sealSeconds = 0;
    const built = await seconds(async () => {
      ({ sealSeconds } = await buildStoredHistory({
        ...options,
        path,
        rulebook,
        rulebookText,
        end,
      }));
    });
    log(
      `stored ledger built in ${built.toFixed(1)} s (bare INSERT ... SELECT into its tables), ` +
        `its history sealed into columnar segments in ${sealSeconds.toFixed(1)} s of that`,
    );
    const draft = draftOf(rulebookText);
    const label = `${options.events.toLocaleString("en-US")} stored events, ${options.subjects.toLocaleString("en-US")} subjects`;

    let moves = "";
    const endToEnd = await medianSeconds(options.runs, async () => {
      moves = await runWhatIf(path, draft, options.events);
    });
    log(`what-if: ${moves}`);
    const { chunks, readSeconds } = await readHistory(path, draft);
    log(`history read alone (SQLite to columns): ${rate(options.events / readSeconds)} events/s`);
    const replayOnly = await medianSeconds(options.runs, async () => {
      const tally = new WhatIfTally({ live: rulebook, draft, at: end });
      for (const chunk of chunks) tally.add(chunk);
      if (tally.result().events !== options.events) throw new Error("events lost in the replay");
    });
    const bare = bareSumSeconds(
      globalColumns(chunks, rulebook),
      pointsOf(rulebook),
      options.subjects,
      options.runs,
    );
    const baseline = options.events / bare;
    const row = (name: string, figure: number): BenchResult => ({
      name,
      figure,
      unit: "events/s",
      baseline,
      baselineName: "bare typed-array sum",
      goal: `>= ${goalEventsPerSecond.toLocaleString("en-US")} events/s`,
      met: figure >= goalEventsPerSecond,
    });
    return [
      row(
        `what-if end to end: ${label} in SQLite, read + replay + report`,
        options.events / endToEnd,
      ),
      row(`what-if replay + report only, the same history in memory`, options.events / replayOnly),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `civic whatif` without the printing: open read-only, replay, report, close. */
async function runWhatIf(path: string, draft: Rulebook, events: number): Promise<string> {
  const store = openSqliteStore({ path, readOnly: true });
  try {
    const report = await whatIf(store, { draft, at: end });
    if (report.events !== events) throw new Error(`read ${report.events} of ${events} events`);
    return `${report.movedUp} up, ${report.movedDown} down of ${report.subjects} subjects, ${report.events} events`;
  } finally {
    await store.close();
  }
}

async function readHistory(path: string, draft: Rulebook) {
  const store = openSqliteStore({ path, readOnly: true });
  try {
    const chunks: HistoryChunk[] = [];
    const readSeconds = await seconds(async () => {
      for await (const chunk of store.history({
        at: end,
        confidenceMin: draft.cameraConfidenceMin,
      }))
        chunks.push(chunk);
    });
    return { chunks, readSeconds };
  } finally {
    await store.close();
  }
}

/** A draft an operator might try: a lower A threshold, and red lights twice as costly. */
function draftOf(text: string): Rulebook {
  const redLight = /(type: traffic\.red_light\n(?:.*\n)*?\s+points: )-10/;
  const changed = text.replace("  A: 1000\n", "  A: 980\n").replace(redLight, "$1-20");
  if (changed === text)
    throw new Error("the default rulebook's text has changed: update the draft");
  const parsed = parseRulebook(changed, "draft.yaml");
  if (!parsed.ok)
    throw new Error(`the bench draft does not compile: ${parsed.problems[0]?.message}`);
  return parsed.rulebook;
}

/** The chunks' events as one history of global subject indexes and the rulebook's rules. */
function globalColumns(chunks: readonly HistoryChunk[], rulebook: Rulebook) {
  const length = chunks.reduce((sum, chunk) => sum + chunk.events.length, 0);
  const subjectIndex = new Int32Array(length);
  const ruleIndex = new Int32Array(length);
  let event = 0;
  let firstSubject = 0;
  for (const chunk of chunks) {
    const rules = chunk.types.map((type) => rulebook.ruleByType.get(type)?.index ?? 0);
    for (let index = 0; index < chunk.events.length; index++, event++) {
      subjectIndex[event] = firstSubject + (chunk.events.subjectIndex[index] as number);
      ruleIndex[event] = rules[chunk.events.typeIndex[index] as number] as number;
    }
    firstSubject += chunk.subjects.count;
  }
  return { length, subjectIndex, ruleIndex };
}

function pointsOf(rulebook: Rulebook): Int32Array {
  return Int32Array.from(rulebook.rules, (rule) => rule.points);
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The median of several timed runs after one warm-up, in seconds. */
async function medianSeconds(runs: number, work: () => Promise<void>): Promise<number> {
  await work();
  const measured: number[] = [];
  for (let run = 0; run < runs; run++) measured.push(await seconds(work));
  measured.sort((left, right) => left - right);
  return measured[Math.floor(measured.length / 2)] as number;
}

function rate(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
