import autocannon from "autocannon";
import { emptyOutcomeCounts, type OutcomeCounts, outcomeKinds } from "../core/outcome.js";
import { ingestEvents } from "../ingest/ingest.service.js";
import { sqliteDatabasePath } from "../store/sqlite/sqlite.connection.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";
import { type EventBatch, eventsPerRequest, sourceName } from "./http.fixture.js";
import { count, log, processCpuMilliseconds, runProblems } from "./http.run.js";
import type { BenchResult } from "./report.js";

export const ingestConnections = 50;
/**
 * Batches per round, one per connection: the two paths take turns, so that both see the same
 * load from other work on the machine.
 */
const roundBatches = ingestConnections;
/** Seconds an ingest request may take: 50 batches queue behind each other on one writer. */
const ingestTimeoutSeconds = 120;

export type IngestBatches = Readonly<{
  warmup: readonly EventBatch[];
  measured: readonly EventBatch[];
}>;

type PathTotals = { events: number; seconds: number; counts: OutcomeCounts };

/** CPU milliseconds over the measured rounds (NaN when unreadable): work apart from waiting. */
type CpuTotals = { server: number; loadGenerator: number; inProcess: number };

export type IngestComparison = Readonly<{
  http: PathTotals & { warmupEvents: number; requests: number; answered200: number };
  inProcess: PathTotals;
  cpu: CpuTotals;
  problems: string[];
}>;

/**
 * The same batches two ways, in alternating rounds: in this process through `ingestEvents` (the
 * ingestion and store path `civic ingest` uses) into one data folder, and over HTTP to the
 * server on another, prepared alike. Each path first ingests the warm-up batches, untimed.
 */
export async function compareIngest(
  input: Readonly<{
    url: string;
    serverPid: number;
    inProcessData: string;
    batches: IngestBatches;
    sourceKeys: readonly string[];
  }>,
): Promise<IngestComparison> {
  const { batches } = input;
  const store = openSqliteStore({ path: sqliteDatabasePath(input.inProcessData) });
  try {
    const source = await store.source(sourceName);
    if (!source) throw new Error(`no source ${sourceName}`);
    const ingest = (batch: EventBatch) =>
      ingestEvents(batch.events, { store, source, clock: () => Date.now() });
    const problems: string[] = [];
    const post = (list: readonly EventBatch[], counts: OutcomeCounts) =>
      postBatches({ url: input.url, list, counts, sourceKeys: input.sourceKeys, problems });

    for (const batch of batches.warmup) await ingest(batch);
    const warmup = await post(batches.warmup, emptyOutcomeCounts());
    const http = {
      ...totals(),
      warmupEvents: warmup.requests * eventsPerRequest,
      requests: 0,
      answered200: 0,
    };
    const inProcess = totals();
    const cpu: CpuTotals = { server: 0, loadGenerator: 0, inProcess: 0 };
    const cpuOf = (pid: number) => processCpuMilliseconds(pid) ?? Number.NaN;
    for (let start = 0; start < batches.measured.length; start += roundBatches) {
      const round = batches.measured.slice(start, start + roundBatches);
      const began = process.hrtime.bigint();
      const ownCpu = cpuOf(process.pid);
      for (const batch of round) addCounts(inProcess.counts, (await ingest(batch)).counts);
      cpu.inProcess += cpuOf(process.pid) - ownCpu;
      inProcess.seconds += secondsSince(began);
      inProcess.events += round.length * eventsPerRequest;

      const posted = process.hrtime.bigint();
      const [serverCpu, generatorCpu] = [cpuOf(input.serverPid), cpuOf(process.pid)];
      const sent = await post(round, http.counts);
      http.seconds += secondsSince(posted);
      cpu.server += cpuOf(input.serverPid) - serverCpu;
      cpu.loadGenerator += cpuOf(process.pid) - generatorCpu;
      http.events += sent.requests * eventsPerRequest;
      http.requests += sent.requests;
      http.answered200 += sent.answered200;
    }
    return { http, inProcess, cpu, problems };
  } finally {
    await store.close();
  }
}

const totals = (): PathTotals => ({ events: 0, seconds: 0, counts: emptyOutcomeCounts() });
const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Sends each batch once, over up to 50 connections; adds the answers' outcome counts. */
async function postBatches(
  input: Readonly<{
    url: string;
    list: readonly EventBatch[];
    counts: OutcomeCounts;
    sourceKeys: readonly string[];
    problems: string[];
  }>,
): Promise<{ requests: number; answered200: number }> {
  const { list, counts, sourceKeys } = input;
  let next = 0;
  const result = await autocannon({
    url: input.url,
    connections: Math.min(ingestConnections, list.length),
    amount: list.length,
    timeout: ingestTimeoutSeconds,
    requests: [
      {
        method: "POST",
        path: "/v1/events",
        // Called once per request sent: each takes the next batch, so no event is sent twice.
        setupRequest: (request) => {
          const index = next++;
          const batch = list[index];
          if (!batch) throw new Error(`request ${index} has no batch of ${list.length}`);
          return {
            ...request,
            headers: {
              "content-type": "application/json",
              authorization: `Bearer ${sourceKeys[index % sourceKeys.length]}`,
            },
            body: batch.body,
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          addCounts(counts, (JSON.parse(body) as { counts: OutcomeCounts }).counts);
        },
      },
    ],
  });
  input.problems.push(...runProblems(result, "ingest"));
  return { requests: next, answered200: result.statusCodeStats["200"]?.count ?? 0 };
}

/** The ingest row, valid only when every event sent was accepted and stored exactly once. */
export function ingestRow(comparison: IngestComparison, storedEntries: number): BenchResult {
  const { http, inProcess } = comparison;
  const problems = [...comparison.problems];
  const sentTotal = http.warmupEvents + http.events;
  log(
    `HTTP ingest: sent ${count(http.events)} events (+${count(http.warmupEvents)} warm-up) in ${count(http.requests)} requests, ${count(http.answered200)} answered 200`,
  );
  log(`HTTP ingest outcomes: ${formatCounts(http.counts)}`);
  log(`in-process outcomes: ${formatCounts(inProcess.counts)}`);
  log(`entries stored by the server: ${count(storedEntries)} (warm-up included)`);
  const perThousand = (milliseconds: number, events: number) =>
    ((1000 * milliseconds) / events).toFixed(0);
  log(
    `CPU per 1,000 events: server ${perThousand(comparison.cpu.server, http.events)} ms (load generator ${perThousand(comparison.cpu.loadGenerator, http.events)} ms), in-process ${perThousand(comparison.cpu.inProcess, inProcess.events)} ms; wall ${perThousand(1000 * http.seconds, http.events)} ms and ${perThousand(1000 * inProcess.seconds, inProcess.events)} ms`,
  );
  if (http.counts.accepted !== http.events)
    problems.push(`${count(http.counts.accepted)} of ${count(http.events)} events accepted`);
  if (storedEntries !== sentTotal)
    problems.push(`${count(storedEntries)} entries stored for ${count(sentTotal)} events sent`);
  if (inProcess.counts.accepted !== inProcess.events)
    problems.push(`in-process: ${count(inProcess.counts.accepted)} of ${count(inProcess.events)}`);
  const figure = http.counts.accepted / http.seconds;
  const baseline = inProcess.counts.accepted / inProcess.seconds;
  return {
    name: `HTTP batch ingest: POST /v1/events, ${count(http.events)} events, ${count(eventsPerRequest)} a request, ${ingestConnections} connections, civic serve on SQLite`,
    figure,
    unit: "events/s",
    baseline,
    baselineName: "ingestEvents in-process, same batches, alternating rounds",
    goal: problems.length === 0 ? ">= 0.7 of baseline" : `INVALID: ${problems.join("; ")}`,
    met: problems.length === 0 && figure >= 0.7 * baseline,
  };
}

function addCounts(total: OutcomeCounts, counts: Readonly<OutcomeCounts>): void {
  for (const kind of outcomeKinds) total[kind] += counts[kind];
}

function formatCounts(counts: Readonly<OutcomeCounts>): string {
  return outcomeKinds
    .filter((kind) => kind === "accepted" || counts[kind] > 0)
    .map((kind) => `${kind} ${count(counts[kind])}`)
    .join(", ");
}
