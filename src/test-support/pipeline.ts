/**
 * Fixtures for the pipeline's integration tests: a SQLite ledger in a data folder (which a
 * `civic worker` child process can open too), a gateway app on a test stream, a source key,
 * workers, and waiting for the ledger to hold what it should. Test code only (not built).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll } from "vitest";
import type { App } from "../api/app.js";
import { issueKey } from "../api/auth/secrets.js";
import type { EventInput } from "../core/event.js";
import { days, formatInstant } from "../core/time.js";
import { buildGatewayApp } from "../pipeline/gateway.app.js";
import { createEventPublisher } from "../pipeline/gateway.publisher.js";
import { type NatsLink, openNatsLink } from "../pipeline/nats.link.js";
import type { PipelineTopology } from "../pipeline/pipeline.topology.js";
import { startWorker, type Worker, type WorkerOptions } from "../pipeline/worker.js";
import type { AccessStore } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";
import { civicBin, openTestLedger } from "./ledger.js";
import { deleteTestStream, testTopology } from "./nats.js";

export const sourceName = "police";
export const subjectCount = 50;

export const subjectIdOf = (index: number) => `c-${String(index).padStart(3, "0")}`;

/** A valid red-light report by `police` about subject `subject`, a day old. */
export function pipelineEvent(id: string, subject: number, fields: Partial<EventInput> = {}) {
  return {
    id,
    subject: subjectIdOf(subject),
    type: "traffic.red_light",
    occurredAt: formatInstant(Date.now() - days(1)),
    evidence: { description: `Report ${id}` },
    ...fields,
  };
}

export type Pipeline = Readonly<{
  store: LedgerStore & AccessStore;
  /** The data folder of the ledger: `civic worker --data <dataDirectory>`. */
  dataDirectory: string;
  topology: PipelineTopology;
  gatewayLink: NatsLink;
  gateway: App;
  sourceKey: string;
  post(events: readonly unknown[]): Promise<LightMyRequestResponse>;
  /** A worker with a link of its own, stopped by `close` unless the test stops it first. */
  startWorker(
    options?: Partial<Omit<WorkerOptions, "link" | "store" | "topology" | "clock">> &
      Readonly<{ store?: LedgerStore }>,
  ): Promise<Readonly<{ worker: Worker; link: NatsLink }>>;
  /** Waits until the ledger holds `entries` entries; fails after `timeoutMilliseconds`. */
  waitForEntries(entries: number, timeoutMilliseconds?: number): Promise<void>;
  close(): Promise<void>;
}>;

/**
 * A pipeline on `url`. It returns once its gateway is connected to NATS (a gateway still
 * connecting refuses events with 503), unless `connected` is false: for a NATS that is down.
 */
export async function openPipeline(
  options: Readonly<{ url: string; topology: PipelineTopology; connected?: boolean }>,
): Promise<Pipeline> {
  const { url, topology, connected = true } = options;
  const ledger = await openTestLedger({
    at: Date.now() - days(2),
    sources: [{ name: sourceName, kind: "agency", allowedTypes: ["traffic.*"] }],
    subjects: Array.from({ length: subjectCount }, (_, index) => ({
      id: subjectIdOf(index),
      region: "north",
    })),
  });
  const store = ledger.store as LedgerStore & AccessStore;
  const issued = issueKey();
  await store.createCredential({
    keyId: issued.keyId,
    secretHash: issued.secretHash,
    role: "source",
    principal: sourceName,
    createdAt: Date.now() - days(2),
    createdBy: "test",
  });
  const gatewayLink = openNatsLink({ servers: url, name: "civic-test-gateway" });
  const gateway = await buildGatewayApp({
    store,
    clock: () => Date.now(),
    publisher: createEventPublisher({ link: gatewayLink, topology }),
    topology,
    rateLimits: { requestsPerMinute: 1_000_000, signInsPerMinute: 1_000_000 },
  });
  if (connected) await gatewayLink.connected();
  const running: Array<{ worker: Worker; link: NatsLink }> = [];
  return {
    store,
    dataDirectory: ledger.directory,
    topology,
    gatewayLink,
    gateway,
    sourceKey: issued.key,
    post: (events) =>
      gateway.inject({
        method: "POST",
        url: "/v1/events",
        headers: { authorization: `Bearer ${issued.key}` },
        payload: { events },
      }),
    async startWorker({ store: workerStore = store, partitions, ...rest } = {}) {
      const link = openNatsLink({ servers: url, name: "civic-test-worker" });
      const worker = await startWorker({
        link,
        store: workerStore,
        topology,
        clock: () => Date.now(),
        partitions: partitions ?? Array.from({ length: topology.partitionCount }, (_, i) => i),
        // Long enough that a loaded machine acknowledges in time (else the server delivers
        // events again that were committed, and they come back as duplicates): tests of
        // redelivery after a crash pass a shorter one.
        ackWaitMilliseconds: 10_000,
        ...rest,
      });
      const started = { worker, link };
      running.push(started);
      return started;
    },
    async waitForEntries(entries, timeoutMilliseconds = 30_000) {
      const deadline = Date.now() + timeoutMilliseconds;
      for (;;) {
        const stored = (await store.counts()).entries;
        if (stored === entries) return;
        if (stored > entries) throw new Error(`the ledger holds ${stored} entries, not ${entries}`);
        if (Date.now() > deadline) {
          throw new Error(
            `the ledger holds ${stored} entries after ${timeoutMilliseconds} ms, not ${entries}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      for (const { worker, link } of running) {
        await worker.stop().catch(() => undefined);
        await link.close();
      }
      await gateway.close();
      await gatewayLink.close();
      await deleteTestStream(topology.stream, url).catch(() => undefined);
      await ledger.close();
    },
  };
}

/** Waits until `condition` holds, checking every 50 ms; fails after `timeoutMilliseconds`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMilliseconds = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A `civic` child process and the lines of its standard output, as they arrive. */
export type CivicProcess = Readonly<{
  child: ChildProcess;
  lines: string[];
  /** The exit code; 137 for a process killed with SIGKILL. */
  exited: Promise<number>;
}>;

/**
 * Opens a pipeline for the tests of a `describe` block (before all; closed after all) and
 * starts `civic` commands on its ledger and stream as child processes (dist must be built).
 * Whatever is still running at the end is killed.
 */
export function pipelineProcesses(url: string) {
  let pipeline: Pipeline | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    pipeline = await openPipeline({ url, topology: testTopology() });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await pipeline?.close();
  });
  const opened = (): Pipeline => {
    if (!pipeline) throw new Error("the pipeline opens before the tests");
    return pipeline;
  };
  return {
    pipeline: opened,
    civic(args: readonly string[]): CivicProcess {
      const { dataDirectory, topology } = opened();
      const child = spawn(
        process.execPath,
        [civicBin, ...args, "--data", dataDirectory, "--nats", url, "--stream", topology.stream],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      children.push(child);
      const lines: string[] = [];
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        lines.push(line);
      });
      const exited = new Promise<number>((resolve) =>
        child.once("exit", (code, signal) => resolve(code ?? (signal === "SIGKILL" ? 137 : -1))),
      );
      return { child, lines, exited };
    },
  };
}
