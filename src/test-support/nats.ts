/**
 * The NATS server that integration tests use: `CIVIC_TEST_NATS_URL`, else the one `.ci/run`
 * starts on this machine (JetStream on 127.0.0.1:4222). Each test works on a stream of its own
 * (its own subjects and consumers), so test files run in parallel against one server; tests that
 * stop NATS start a private server instead. Test code only (not built).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { type PipelineTopology, pipelineTopology } from "../pipeline/pipeline.topology.js";
import { serviceOrSkip } from "./services.js";

export const natsTestUrlDefault = "nats://127.0.0.1:4222";
export const natsTestUrlVariable = "CIVIC_TEST_NATS_URL";

export function natsTestUrl(): string {
  return process.env[natsTestUrlVariable] || natsTestUrlDefault;
}

/** Whether the test server answers with JetStream; see `serviceOrSkip` when it does not. */
export function natsForTests(url: string = natsTestUrl()): Promise<boolean> {
  return serviceOrSkip(
    "NATS JetStream server",
    url,
    async () => {
      const connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
      try {
        await (await jetstreamManager(connection)).getAccountInfo();
      } finally {
        await connection.close();
      }
    },
    { enable: `start nats-server -js (bash .ci/run does) or set ${natsTestUrlVariable}` },
  );
}

/** A stream no other test uses: `CIVIC_TEST_<random>`, subjects `civic.test.<random>.<n>`. */
export function testTopology(partitionCount = 8): PipelineTopology {
  return pipelineTopology(
    `CIVIC_TEST_${randomBytes(5).toString("hex").toUpperCase()}`,
    partitionCount,
  );
}

/** Deletes a test's stream and its consumers; a stream that is not there is fine. */
export async function deleteTestStream(stream: string, url: string = natsTestUrl()): Promise<void> {
  const connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
  try {
    await (await jetstreamManager(connection)).streams.delete(stream).catch(() => false);
  } finally {
    await connection.close();
  }
}

/** nats-server: on the PATH, else where Debian puts it. */
export function natsServerProgram(): string {
  for (const directory of (process.env.PATH ?? "").split(":")) {
    const candidate = join(directory, "nats-server");
    if (directory && existsSync(candidate)) return candidate;
  }
  return "/usr/sbin/nats-server";
}

export type PrivateNats = Readonly<{
  url: string;
  /** Stops it as an operator would (SIGTERM), and waits until it has exited. */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the streams it stored. */
  start: () => Promise<void>;
}>;

/**
 * A nats-server with JetStream of the test's own on a free port, storing in `directory`, for
 * tests that stop and restart NATS (never the shared one).
 */
export async function startPrivateNats(directory: string): Promise<PrivateNats> {
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      natsServerProgram(),
      ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", directory],
      { stdio: "ignore" },
    );
    child = started;
    await waitUntilAnswers(url, started);
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

async function waitUntilAnswers(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    try {
      const connection = await connect({ servers: url, timeout: 500, reconnect: false });
      try {
        await (await jetstreamManager(connection)).getAccountInfo();
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nats-server did not answer at ${url}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
