import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a server may take to print its address before the benchmark gives up. */
const startupMillisecondsMax = 30_000;
const startupPollMilliseconds = 50;
/** How long a server may take to drain and exit after SIGTERM. */
const stopMillisecondsMax = 30_000;

export type RunningServer = Readonly<{
  url: string;
  pid: number;
  /** SIGTERM, then waits for a clean exit (code 0); throws otherwise. */
  stop(): Promise<void>;
}>;

/**
 * Starts a server in its own process, so the load generator never shares its event loop, and
 * answers once it prints `serving ... at <url>`. Its stdout (the request log, one line per
 * request) goes to `logFile`, as to a log collector: read through a pipe by the load generator,
 * a busy generator would stall the server's synchronous log writes.
 */
export async function startServer(
  input: Readonly<{ script: string; args: readonly string[]; name: string; logFile: string }>,
): Promise<RunningServer> {
  const { name, logFile } = input;
  const stdout = openSync(logFile, "w");
  const child = (() => {
    try {
      return spawn(process.execPath, [...serverNodeFlags(), input.script, ...input.args], {
        stdio: ["ignore", stdout, "inherit"],
      });
    } finally {
      closeSync(stdout);
    }
  })();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const started = Date.now();
  let url: string | undefined;
  while (url === undefined) {
    const text = readFileSync(logFile, "utf8");
    url = /serving .* at (http:\/\/[^\s]+)/.exec(text)?.[1];
    if (url !== undefined) break;
    const failure =
      exitCode !== undefined
        ? `${name} exited with ${exitCode} before serving`
        : Date.now() - started > startupMillisecondsMax
          ? `${name} did not start within ${startupMillisecondsMax} ms`
          : undefined;
    if (failure !== undefined) {
      child.kill("SIGTERM");
      throw new Error(`${failure}: ${text.slice(-2_000)}`);
    }
    await sleep(startupPollMilliseconds);
  }
  return {
    url,
    pid: child.pid as number,
    async stop() {
      if (exitCode === undefined) child.kill("SIGTERM");
      const timer = new AbortController();
      const timeout = sleep(stopMillisecondsMax, "timeout" as const, { signal: timer.signal });
      const code = await Promise.race([exited, timeout.catch(() => undefined)]);
      timer.abort();
      if (code === "timeout") throw new Error(`${name} did not stop`);
      if (code !== 0) throw new Error(`${name} exited with ${code}`);
    },
  };
}

/**
 * Node flags for the servers, e.g. `CIVIC_BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=prof"`
 * to profile them (Node refuses --cpu-prof in NODE_OPTIONS).
 */
function serverNodeFlags(): string[] {
  return (process.env.CIVIC_BENCH_SERVER_NODE_FLAGS ?? "").split(/\s+/).filter(Boolean);
}
