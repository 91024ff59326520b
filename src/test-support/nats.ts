/**
 * The NATS server that integration tests use: `CIVIC_TEST_NATS_URL`, else the one `.ci/run`
 * starts on this machine (JetStream on 127.0.0.1:4222). Each test works on a stream of its own
 * (its own subjects and consumers), so test files run in parallel against one server; tests that
 * stop NATS start a private server instead. Test code only (not built).
 */
import { randomBytes } from "node:crypto";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { type PipelineTopology, pipelineTopology } from "../pipeline/pipeline.topology.js";
import {
  freePort,
  type PrivateServer,
  programPath,
  serviceOrSkip,
  startPrivateServer,
} from "./services.js";

export const natsTestUrlDefault = "nats://127.0.0.1:4222";
export const natsTestUrlVariable = "CIVIC_TEST_NATS_URL";

/** How long a connection of the tests may take to open; a starting server gets less per try. */
const connectMillisecondsMax = 3_000;
const startingConnectMillisecondsMax = 500;

export function natsTestUrl(): string {
  return process.env[natsTestUrlVariable] || natsTestUrlDefault;
}

/** Whether the test server answers with JetStream; see `serviceOrSkip` when it does not. */
export function natsForTests(url: string = natsTestUrl()): Promise<boolean> {
  return serviceOrSkip(
    "NATS JetStream server",
    url,
    () => withJetStream(url, connectMillisecondsMax, (manager) => manager.getAccountInfo()),
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
  await withJetStream(url, connectMillisecondsMax, (manager) =>
    manager.streams.delete(stream).catch(() => false),
  );
}

/** Runs `work` on a connection of its own to `url`, closed afterwards whatever happens. */
async function withJetStream<T>(
  url: string,
  timeoutMilliseconds: number,
  work: (manager: JetStreamManager) => Promise<T>,
): Promise<T> {
  const connection = await connect({
    servers: url,
    timeout: timeoutMilliseconds,
    reconnect: false,
  });
  try {
    return await work(await jetstreamManager(connection));
  } finally {
    await connection.close();
  }
}

/** nats-server: on the PATH, else where Debian puts it. */
export function natsServerProgram(): string {
  return programPath("nats-server");
}

/** A private server's `stop` waits until it has exited; `start` takes up the streams it stored. */
export type PrivateNats = PrivateServer;

/** How many probes a private server may fail while it starts. */
const serverAnswerAttemptsMax = 200;

/**
 * A nats-server with JetStream of the test's own on a free port, storing in `directory`, for
 * tests that stop and restart NATS (never the shared one).
 */
export async function startPrivateNats(directory: string): Promise<PrivateNats> {
  const port = await freePort();
  return startPrivateServer({
    program: "nats-server",
    programArguments: ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", directory],
    url: `nats://127.0.0.1:${port}`,
    answers: (url) =>
      withJetStream(url, startingConnectMillisecondsMax, (manager) => manager.getAccountInfo()),
    answerAttemptsMax: serverAnswerAttemptsMax,
  });
}
