/** One line of the benchmark report: a figure beside its baseline measured in the same run. */
export type BenchResult = Readonly<{
  name: string;
  figure: number;
  unit: string;
  baseline: number | undefined;
  baselineName: string | undefined;
  goal: string;
  /** Whether the goal was met; undefined for a figure with no goal. */
  met: boolean | undefined;
}>;

export function formatResults(results: readonly BenchResult[]): string {
  const rows = results.map((result) => [
    result.name,
    `${formatNumber(result.figure)} ${result.unit}`,
    result.baseline === undefined
      ? "-"
      : `${formatNumber(result.baseline)} ${result.unit} (${result.baselineName})`,
    result.baseline === undefined ? "-" : (result.figure / result.baseline).toFixed(2),
    result.goal,
    result.met === undefined ? "" : result.met ? "met" : "NOT MET",
  ]);
  const header = ["benchmark", "figure", "baseline (same run)", "ratio", "goal", ""];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(2);
}

/** The median of several timed runs, in seconds, after one warm-up. */
export function medianSeconds(runs: number, work: () => void): number {
  work();
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    work();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)] as number;
}
