import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Rulebook } from "../core/rulebook.js";
import { ingestEvents } from "../ingest/ingest.service.js";
import { type PipelineTopology, pipelineTopology } from "../pipeline/pipeline.topology.js";
import {
  type BenchEvent,
  benchSourceName,
  generatePipelineEvents,
  postEvents,
  prepareBenchLedger,
  startBenchGateway,
  startBenchWorker,
  waitForEntries,
} from "./pipeline.fixture.js";
import type { BenchResult } from "./report.js";

export type PipelineBenchOptions = Readonly<{
  events: number;
  subjects: number;
  /** The NATS server with JetStream; the bench makes a stream of its own and deletes it. */
  nats: string;
  /** `sqlite` (the data folder's file) or a PostgreSQL URL to make scratch schemas in. */
  store: string;
}>;

export const pipelineBenchNatsVariable = "CIVIC_BENCH_NATS_URL";
export const pipelineBenchStoreVariable = "CIVIC_BENCH_PIPELINE_STORE";

/** What a source sends in one request, and how many requests it keeps in flight. */
const batchEvents = 1_000;
const requestsInFlightMax = 4;
const partitionCount = 8;

type PipelineRun = Readonly<{ seconds: number; postSeconds: number }>;

/**
 * The scale-out path end to end: a source POSTs batches to `civic gateway` (in this process),
 * which stores each event in JetStream before it answers; `civic worker` processes (one, then
 * two splitting the partitions) commit them to the ledger. The figure runs from the first POST
 * until the ledger holds every event. The baseline is the in-process ingest of the same events
 * in the same batches into the same kind of store (what `civic serve` does per request).
 */
export async function benchPipeline(
  rulebook: Rulebook,
  options: PipelineBenchOptions,
): Promise<BenchResult[]> {
  const store = options.store === "sqlite" ? "SQLite" : "PostgreSQL";
  const label = `${options.events.toLocaleString("en-US")} events, ${options.subjects.toLocaleString("en-US")} subjects, ${store}`;
  const names = [
    `pipeline end to end, 1 worker: gateway, JetStream, civic worker, ${label}`,
    `pipeline end to end, 2 workers (partitions 0-3, 4-7), ${label}`,
    `pipeline gateway alone: POST until stored in JetStream, ${label}`,
  ];
  const unreachable = await natsUnreachableReason(options.nats);
  if (unreachable) {
    process.stderr.write(
      `pipeline bench NOT RUN: ${unreachable}; set ${pipelineBenchNatsVariable} or start nats-server -js\n`,
    );
    return names.map(notRun);
  }
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-pipeline-"));
  try {
    const now = Date.now();
    const events = generatePipelineEvents(rulebook, { ...options, now });
    const run = (name: string, workers: readonly string[]) =>
      runPipeline(join(folder, name), events, { ...options, now, workers });
    const baselineSeconds = await ingestInProcess(join(folder, "baseline"), events, {
      ...options,
      now,
    });
    const one = await run("one", ["0-7"]);
    const two = await run("two", ["0-3", "4-7"]);
    const baseline = options.events / baselineSeconds;
    const baselineName = `in-process ingest of the same events, batches of ${batchEvents.toLocaleString("en-US")}`;
    const oneFigure = options.events / one.seconds;
    // A second worker adds throughput only with cores to run on: on two, it shares them with
    // the first, the gateway, NATS and the database, and the figure shows what sharing costs.
    const twoWorkersGoal =
      availableParallelism() >= 4
        ? { ratio: 1.3, text: ">= 1.3 of 1 worker's figure" }
        : { ratio: 0.5, text: `>= 0.5 of 1 worker's figure (${availableParallelism()} cores)` };
    const twoFigure = options.events / two.seconds;
    const line = (name: string, figure: number, goal: string, met: boolean): BenchResult => ({
      name,
      figure,
      unit: "events/s",
      baseline,
      baselineName,
      goal,
      met,
    });
    return [
      line(names[0] as string, oneFigure, ">= 0.25 of baseline", oneFigure >= 0.25 * baseline),
      line(
        names[1] as string,
        twoFigure,
        twoWorkersGoal.text,
        twoFigure >= twoWorkersGoal.ratio * oneFigure,
      ),
      line(
        names[2] as string,
        options.events / one.postSeconds,
        ">= 0.5 of baseline",
        options.events / one.postSeconds >= 0.5 * baseline,
      ),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function runPipeline(
  dataDirectory: string,
  events: readonly BenchEvent[],
  options: PipelineBenchOptions & Readonly<{ now: number; workers: readonly string[] }>,
): Promise<PipelineRun> {
  mkdirSync(dataDirectory, { recursive: true });
  const { ledger, sourceKey } = await prepareBenchLedger({ ...options, dataDirectory });
  const topology = pipelineTopology(
    `CIVIC_BENCH_${randomBytes(4).toString("hex").toUpperCase()}`,
    partitionCount,
  );
  const store = await ledger.open();
  const stops: Array<() => Promise<void>> = [];
  try {
    const gateway = await startBenchGateway({ store, nats: options.nats, topology });
    stops.push(gateway.close);
    for (const partitions of options.workers) {
      const worker = await startBenchWorker({ ledger, nats: options.nats, topology, partitions });
      stops.unshift(worker.stop);
    }
    const start = process.hrtime.bigint();
    await postEvents(gateway.url, sourceKey, events, {
      batchEvents,
      inFlightMax: requestsInFlightMax,
    });
    const posted = process.hrtime.bigint();
    await waitForEntries(store, events.length, 600_000);
    const end = process.hrtime.bigint();
    return { seconds: Number(end - start) / 1e9, postSeconds: Number(posted - start) / 1e9 };
  } finally {
    for (const stop of stops) await stop();
    await store.close();
    await deleteStream(options.nats, topology);
    await ledger.remove();
  }
}

async function ingestInProcess(
  dataDirectory: string,
  events: readonly BenchEvent[],
  options: PipelineBenchOptions & Readonly<{ now: number }>,
): Promise<number> {
  mkdirSync(dataDirectory, { recursive: true });
  const { ledger } = await prepareBenchLedger({ ...options, dataDirectory });
  const store = await ledger.open();
  try {
    const source = await store.source(benchSourceName);
    if (!source) throw new Error(`the bench source ${benchSourceName} is missing`);
    const start = process.hrtime.bigint();
    for (let index = 0; index < events.length; index += batchEvents) {
      const { counts } = await ingestEvents(events.slice(index, index + batchEvents), {
        store,
        source,
        clock: () => Date.now(),
      });
      if (counts.accepted !== Math.min(batchEvents, events.length - index)) {
        throw new Error(`in-process ingest refused events: ${JSON.stringify(counts)}`);
      }
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    await store.close();
    await ledger.remove();
  }
}

async function natsUnreachableReason(url: string): Promise<string | undefined> {
  try {
    const connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
    try {
      await (await jetstreamManager(connection)).getAccountInfo();
    } finally {
      await connection.close();
    }
    return undefined;
  } catch (error) {
    return `NATS JetStream not reachable at ${url} (${(error as Error).message})`;
  }
}

async function deleteStream(url: string, topology: PipelineTopology): Promise<void> {
  const connection = await connect({ servers: url, timeout: 3_000, reconnect: false });
  try {
    await (await jetstreamManager(connection)).streams.delete(topology.stream).catch(() => false);
  } finally {
    await connection.close();
  }
}

function notRun(name: string): BenchResult {
  return {
    name: `${name} (NOT RUN: no NATS)`,
    figure: 0,
    unit: "events/s",
    baseline: undefined,
    baselineName: undefined,
    goal: "-",
    met: false,
  };
}
