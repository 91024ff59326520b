import { readFileSync } from "node:fs";
import type { Result } from "autocannon";

/** Progress and checked counts, on stderr beside `running: <name>`. */
export const log = (text: string) => process.stderr.write(`  ${text}\n`);
export const count = (value: number) => value.toLocaleString("en-US");

/** What makes an autocannon run's figure worthless: refusals, errors, timeouts. */
export function runProblems(result: Result, name: string): string[] {
  const problems: string[] = [];
  if (result.non2xx > 0) problems.push(`${name}: ${result.non2xx} answers not 2xx`);
  if (result.errors > 0) problems.push(`${name}: ${result.errors} errors`);
  if (result.timeouts > 0) problems.push(`${name}: ${result.timeouts} timeouts`);
  if (problems.length > 0) problems.push(`status codes ${JSON.stringify(result.statusCodeStats)}`);
  return problems;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times: 100 on every Linux Node supports. */
const ticksPerSecond = 100;

/**
 * CPU time a process has used so far (all its threads, user and system), in milliseconds, or
 * undefined off Linux. Beside wall time it tells work from waiting on a loaded machine.
 */
export function processCpuMilliseconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** CPU milliseconds `pid` spends in `work`, or undefined when it cannot be read. */
export async function cpuMillisecondsOf<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ value: T; cpuMilliseconds: number | undefined }> {
  const before = processCpuMilliseconds(pid);
  const value = await work();
  const after = processCpuMilliseconds(pid);
  return {
    value,
    cpuMilliseconds: before === undefined || after === undefined ? undefined : after - before,
  };
}
