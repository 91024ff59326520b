import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { batchEventsMax } from "../core/batch.js";
import type { Instant } from "../core/time.js";
import type { Delivery } from "./delivery.js";
import type { CrashAnswer, IngestAnswer } from "./driver.js";

/** The compiled child process; the same path from src/sim (tests) and dist/sim. */
export const ingestProcessPath = fileURLToPath(
  new URL("../../dist/sim/ingest.process.js", import.meta.url),
);

/** Commits the crashed run should see through before it is killed, at the least. */
const batchesBeforeCrash = 1;
/** The day's reports are cut into about this many batches, so the crash falls mid-run. */
const batchesPerRun = 6;

type Line = Readonly<{ position?: number; answer?: IngestAnswer; done?: boolean }>;

/**
 * Ingests the day's deliveries through a separate ingesting process, kills it with SIGKILL
 * after its first commits, and runs it again on the same reports, as a restarted process whose
 * sources deliver everything again. The ledger must hold each report once, and no half batch.
 */
export async function ingestThroughCrashedProcess(
  input: Readonly<{ databasePath: string; deliveries: readonly Delivery[]; at: Instant }>,
): Promise<CrashAnswer> {
  if (!existsSync(ingestProcessPath)) {
    throw new Error(`the ingesting process ${ingestProcessPath} is not built; run: npm run build`);
  }
  const folder = mkdtempSync(join(tmpdir(), "civic-crash-"));
  try {
    const jobs = join(folder, "jobs.ndjson");
    const lines = input.deliveries.flatMap(({ source, reports }) =>
      reports.map((report) => JSON.stringify({ source, event: report.event })),
    );
    writeFileSync(jobs, `${lines.join("\n")}\n`);
    const batchSize = Math.min(
      batchEventsMax,
      Math.max(1, Math.ceil(lines.length / batchesPerRun)),
    );
    const args = [input.databasePath, jobs, String(input.at), String(batchSize)];
    const crashed = await runIngestProcess(args, {
      killAfterAnswers: batchSize * batchesBeforeCrash,
    });
    const restarted = await runIngestProcess(args, { killAfterAnswers: undefined });
    if (!restarted.done) throw new Error("the restarted ingesting process did not finish");
    const answers = lines.map((_, position) => {
      const answer = restarted.answers.get(position);
      if (!answer)
        throw new Error(`the restarted ingesting process did not answer report ${position}`);
      return answer;
    });
    return { beforeCrash: crashed.answers.size, answers };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type Run = Readonly<{ answers: Map<number, IngestAnswer>; done: boolean }>;

function runIngestProcess(
  args: readonly string[],
  { killAfterAnswers }: Readonly<{ killAfterAnswers: number | undefined }>,
): Promise<Run> {
  const child = spawn(process.execPath, [ingestProcessPath, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const answers = new Map<number, IngestAnswer>();
  let done = false;
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  createInterface({ input: child.stdout }).on("line", (text) => {
    const line = parseLine(text);
    // A kill can cut the last line short: the crashed run's answers are a hint, nothing more.
    if (!line) {
      if (killAfterAnswers === undefined) child.kill("SIGKILL");
      return;
    }
    if (line.done) done = true;
    if (line.position !== undefined && line.answer) answers.set(line.position, line.answer);
    if (killAfterAnswers !== undefined && answers.size >= killAfterAnswers) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const killed = killAfterAnswers !== undefined && signal === "SIGKILL";
      if ((code === 0 && done) || killed) resolve({ answers, done });
      else reject(new Error(`the ingesting process failed (${code ?? signal}): ${stderr.trim()}`));
    });
  });
}

function parseLine(text: string): Line | undefined {
  try {
    return JSON.parse(text) as Line;
  } catch {
    return undefined;
  }
}
