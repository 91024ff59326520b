import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { App } from "../api/app.js";
import { issueKey } from "../api/auth/secrets.js";
import { initialiseLedger } from "../cli/initialise.js";
import { openLedgerStore } from "../cli/store-option.js";
import type { Rulebook } from "../core/rulebook.js";
import { days, formatInstant } from "../core/time.js";
import { buildGatewayApp } from "../pipeline/gateway.app.js";
import { createEventPublisher } from "../pipeline/gateway.publisher.js";
import { type NatsLink, openNatsLink } from "../pipeline/nats.link.js";
import type { PipelineTopology } from "../pipeline/pipeline.topology.js";
import type { AccessStore } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";
import { seededRandom } from "./random.js";

const civic = fileURLToPath(new URL("../../bin/civic.js", import.meta.url));
export const benchSourceName = "bench-agency";

export type BenchEvent = Readonly<{
  id: string;
  subject: string;
  type: string;
  occurredAt: string;
  evidence: Readonly<{ description: string; reference: string }>;
}>;

/** The same events for every run: ascending ids, random subjects and rules, the past year. */
export function generatePipelineEvents(
  rulebook: Rulebook,
  options: Readonly<{ events: number; subjects: number; now: number }>,
): BenchEvent[] {
  const random = seededRandom(3);
  return Array.from({ length: options.events }, (_, index) => ({
    id: `e${String(index).padStart(8, "0")}`,
    subject: subjectName(Math.floor(random() * options.subjects)),
    type: (rulebook.rules[Math.floor(random() * rulebook.rules.length)] as { type: string }).type,
    occurredAt: formatInstant(options.now - Math.floor(random() * days(365))),
    evidence: { description: "Officer's report", reference: `ref-${index}` },
  }));
}

export const subjectName = (index: number) => `s${String(index).padStart(7, "0")}`;

/** A fresh ledger: the data folder's SQLite file, or a scratch schema of a PostgreSQL database. */
export type BenchLedger = Readonly<{
  dataDirectory: string;
  /** `--store` of the commands that open it. */
  store: string;
  open(): Promise<LedgerStore & AccessStore>;
  /** Drops the scratch schema (the caller removes the folder). */
  remove(): Promise<void>;
}>;

export async function prepareBenchLedger(
  options: Readonly<{
    dataDirectory: string;
    /** `sqlite`, or a PostgreSQL URL to make a scratch schema in. */
    store: string;
    subjects: number;
    now: number;
  }>,
): Promise<Readonly<{ ledger: BenchLedger; sourceKey: string }>> {
  const schema = `civic_bench_pipeline_${randomBytes(4).toString("hex")}`;
  const store = options.store === "sqlite" ? "sqlite" : schemaUrl(options.store, schema);
  const location = { dataDirectory: options.dataDirectory, store };
  const ledger: BenchLedger = {
    dataDirectory: options.dataDirectory,
    store,
    open: async () => (await openLedgerStore({ location, create: true })).store,
    remove: async () => {
      if (store === "sqlite") return;
      const client = new pg.Client({ connectionString: options.store });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
  const opened = await ledger.open();
  try {
    const at = options.now - days(400);
    await initialiseLedger(opened, { at, by: "bench" });
    for (let start = 0; start < options.subjects; start += 10_000) {
      const end = Math.min(options.subjects, start + 10_000);
      const chunk = [];
      for (let index = start; index < end; index++) {
        chunk.push({ id: subjectName(index), region: `r${index % 12}` });
      }
      await opened.enrollSubjects(chunk, at);
    }
    await opened.addSource({ name: benchSourceName, kind: "agency", allowedTypes: ["*"] }, at);
    const issued = issueKey();
    await opened.createCredential({
      keyId: issued.keyId,
      secretHash: issued.secretHash,
      role: "source",
      principal: benchSourceName,
      createdAt: at,
      createdBy: "bench",
    });
    return { ledger, sourceKey: issued.key };
  } finally {
    await opened.close();
  }
}

export type BenchGateway = Readonly<{ url: string; close(): Promise<void> }>;

/** `civic gateway` in this process, listening on a free port. */
export async function startBenchGateway(
  options: Readonly<{ store: LedgerStore & AccessStore; nats: string; topology: PipelineTopology }>,
): Promise<BenchGateway> {
  const link: NatsLink = openNatsLink({ servers: options.nats, name: "civic-bench-gateway" });
  await link.connected();
  const app: App = await buildGatewayApp({
    store: options.store,
    clock: () => Date.now(),
    publisher: createEventPublisher({ link, topology: options.topology }),
    topology: options.topology,
    rateLimits: { requestsPerMinute: 100_000_000, signInsPerMinute: 1_000 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await link.close();
    },
  };
}

export type BenchWorker = Readonly<{ stop(): Promise<void> }>;

/** `civic worker` in a process of its own, once it has said it consumes its partitions. */
export async function startBenchWorker(
  options: Readonly<{
    ledger: BenchLedger;
    nats: string;
    topology: PipelineTopology;
    partitions: string;
  }>,
): Promise<BenchWorker> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      civic,
      "worker",
      ...["--data", options.ledger.dataDirectory, "--store", options.ledger.store],
      ...["--nats", options.nats, "--stream", options.topology.stream],
      ...["--partition-count", String(options.topology.partitionCount)],
      ...["--partitions", options.partitions],
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.includes("worker on partitions")) resolve();
    });
    void exited.then((code) => reject(new Error(`civic worker exited with ${code}`)));
  });
  return {
    stop: async () => {
      child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) throw new Error(`civic worker stopped with exit code ${code}`);
    },
  };
}

/** Posts the events in batches, `inFlightMax` requests at a time; every event must be queued. */
export async function postEvents(
  gatewayUrl: string,
  sourceKey: string,
  events: readonly BenchEvent[],
  { batchEvents, inFlightMax }: Readonly<{ batchEvents: number; inFlightMax: number }>,
): Promise<void> {
  let next = 0;
  const poster = async () => {
    while (next < events.length) {
      const batch = events.slice(next, next + batchEvents);
      next += batchEvents;
      const response = await fetch(`${gatewayUrl}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${sourceKey}`, "content-type": "application/json" },
        body: JSON.stringify({ events: batch }),
      });
      const body = (await response.json()) as { counts?: { queued?: number } };
      if (response.status !== 200 || body.counts?.queued !== batch.length) {
        throw new Error(`the gateway answered ${response.status}: ${JSON.stringify(body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlightMax }, poster));
}

/** Waits until the ledger holds `entries` entries, checking every 20 ms. */
export async function waitForEntries(
  store: LedgerStore,
  entries: number,
  timeoutMilliseconds: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const stored = (await store.counts()).entries;
    if (stored === entries) return;
    if (stored > entries || Date.now() > deadline) {
      throw new Error(`the ledger holds ${stored} entries, not ${entries}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function schemaUrl(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set("schema", schema);
  return withSchema.toString();
}
