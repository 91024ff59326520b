import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./report.js";

export type SimulateBenchOptions = Readonly<{ subjects: number; days: number }>;

const civic = fileURLToPath(new URL("../../bin/civic.js", import.meta.url));
const secondsGoal = 600;
const residentMegabytesGoal = 2_048;

type SimulateRun = Readonly<{
  seconds: number;
  peakResidentBytes: number;
  reports: number;
  auditOk: boolean;
}>;

/**
 * The simulated city end to end, as `civic simulate --faults` in its own process: enrollment,
 * every day's reports through the real ingest service into SQLite, consents, inquiries,
 * appeals and reviews, a crash of the ingesting process, and the independent audit of every
 * score and entry at the end. Reports the wall time and that process's peak resident memory.
 */
export async function benchSimulate(options: SimulateBenchOptions): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-simulate-"));
  try {
    const run = await runSimulate(join(folder, "city"), options);
    const label = `${options.subjects.toLocaleString("en-US")} subjects, ${options.days} days`;
    const audited = run.auditOk ? "audit passed" : "AUDIT FAILED";
    return [
      {
        name: `simulate: ${label}, ${run.reports.toLocaleString("en-US")} reports into SQLite, faults on, ${audited}`,
        figure: run.seconds,
        unit: "s",
        baseline: undefined,
        baselineName: undefined,
        goal: `<= ${secondsGoal} s`,
        met: run.auditOk && run.seconds <= secondsGoal,
      },
      {
        name: `peak memory (RSS) of civic simulate, ${label}`,
        figure: run.peakResidentBytes / 1_048_576,
        unit: "MB",
        baseline: undefined,
        baselineName: undefined,
        goal: `<= ${residentMegabytesGoal.toLocaleString("en-US")} MB`,
        met: run.peakResidentBytes <= residentMegabytesGoal * 1_048_576,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function runSimulate(data: string, options: SimulateBenchOptions): Promise<SimulateRun> {
  const start = process.hrtime.bigint();
  const args = ["simulate", "--subjects", String(options.subjects), "--days", String(options.days)];
  const child = spawn(
    process.execPath,
    [civic, ...args, "--seed", "1", "--faults", "--json", "--data", data],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  let peakResidentBytes = 0;
  const poll = setInterval(() => {
    try {
      // VmHWM is the process's own high-water mark of resident memory.
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kilobytes = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakResidentBytes = Math.max(peakResidentBytes, kilobytes * 1024);
    } catch {
      // The process has just exited; the last reading stands.
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0 && code !== 1) throw new Error(`civic simulate exited with ${code}`);
  const report = JSON.parse(stdout) as { delivery: { reports: number }; audit: { ok: boolean } };
  return { seconds, peakResidentBytes, reports: report.delivery.reports, auditOk: report.audit.ok };
}
