/**
 * Integration tests against services this machine runs (MQTT broker, NATS, PostgreSQL). When a
 * service does not answer, its tests skip and say so in one line, with how to enable them;
 * under CI (`CI=true`) they fail instead: `.ci/run` starts every service, so a missing one is
 * a broken setup, not a reason to skip. Tests that stop and restart a service start a private
 * server of their own (`startPrivateServer`) instead of the shared one. Test code only (not
 * built).
 *
 * In a test file:
 *   const reachable = await serviceOrSkip("MQTT broker", url, () => probe(url), {
 *     enable: "start Mosquitto or set CIVIC_TEST_MQTT_URL",
 *   });
 *   describe.skipIf(!reachable)("...", () => { ... });
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";

/** A probe that answers within this long, or the service counts as unreachable. */
export const probeMillisecondsMax = 5_000;

export type ServiceOptions = Readonly<{
  /** How to make the service reachable, shown in the skip line. */
  enable?: string;
  /** CI or not; the environment's `CI` by default. */
  ci?: boolean;
  /** Where the skip line goes (console.warn by default). */
  warn?: (line: string) => void;
}>;

/**
 * True when `probe` succeeds (it should connect and do the least thing the tests need). False
 * after one visible line when it fails outside CI; under CI it throws, failing the test file.
 */
export async function serviceOrSkip(
  name: string,
  url: string,
  probe: () => Promise<unknown>,
  { enable, ci = process.env.CI === "true", warn = console.warn }: ServiceOptions = {},
): Promise<boolean> {
  try {
    await withinDeadline(probe(), probeMillisecondsMax);
    return true;
  } catch (error) {
    const reason = `${name} not reachable at ${redactPassword(url)} (${(error as Error).message})`;
    if (ci) throw new Error(`${reason}: under CI it must run; .ci/run starts it`);
    warn(`SKIPPED tests needing the ${name}: ${reason}${enable ? `: ${enable}` : ""}`);
    return false;
  }
}

function withinDeadline<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${milliseconds} ms`)),
      milliseconds,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A URL as it may be printed: its password replaced. */
export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Where a Debian package puts a server program that is not on the PATH. */
export const serverProgramFolderDefault = "/usr/sbin";

/** A program's path: the first on `searchPath` (the PATH by default), else where Debian puts it. */
export function programPath(program: string, searchPath: string = process.env.PATH ?? ""): string {
  for (const directory of searchPath.split(":")) {
    const candidate = join(directory, program);
    if (directory && existsSync(candidate)) return candidate;
  }
  return join(serverProgramFolderDefault, program);
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Between two tries of a starting server's probe. */
export const answerPauseMilliseconds = 50;

export type PrivateServer = Readonly<{
  url: string;
  /** Stops it as an operator would (SIGTERM: it saves its state first), waiting until it exits. */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the state it saved. */
  start: () => Promise<void>;
}>;

export type PrivateServerOptions = Readonly<{
  /** The program's name, looked up by `programPath` at every start, and named in errors. */
  program: string;
  programArguments: readonly string[];
  /** Where it answers once started. */
  url: string;
  /** Resolves once the server at `url` serves what the tests need; rejects while it does not. */
  answers: (url: string) => Promise<unknown>;
  /** How many tries of `answers` a start waits for before it fails. */
  answerAttemptsMax: number;
}>;

/** Starts `program` as a child process of the test and waits until it answers at `url`. */
export async function startPrivateServer(options: PrivateServerOptions): Promise<PrivateServer> {
  const { program, programArguments, url } = options;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(programPath(program), programArguments, { stdio: "ignore" });
    child = started;
    await waitUntilAnswers(started, options);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return { url, start, stop };
}

async function waitUntilAnswers(
  child: ChildProcess,
  { program, url, answers, answerAttemptsMax }: PrivateServerOptions,
): Promise<void> {
  for (let attempt = 0; attempt < answerAttemptsMax; attempt++) {
    if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}`);
    try {
      await answers(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, answerPauseMilliseconds));
    }
  }
  throw new Error(`${program} did not answer at ${url}`);
}
