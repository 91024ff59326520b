import autocannon, { type Request } from "autocannon";
import type { LookupRequest } from "./http.fixture.js";
import { count, log, processCpuMilliseconds, runProblems } from "./http.run.js";
import type { BenchResult } from "./report.js";

export const lookupConnections = 10;
const warmupSeconds = 2;
const latencyGoalMilliseconds = 20;

/** One server's lookups: measured runs only, except `answeredAll` (warm-up included). */
export type LookupSummary = Readonly<{
  requestsPerSecond: number;
  p99Milliseconds: number;
  answeredAll: number;
  notAnsweredAll: number;
  /** The server's CPU time per measured answer (NaN when unreadable). */
  cpuMillisecondsPerAnswer: number;
  problems: string[];
}>;

type Server = Readonly<{ url: string; pid: number }>;

type Side = {
  server: Server;
  cpuMilliseconds: number;
  answered: number;
  seconds: number;
  latencies: number[];
  answeredAll: number;
  notAnsweredAll: number;
  problems: string[];
};

/**
 * The same lookups against the civic server and the bare baseline, both listening throughout:
 * a warm-up each, then the measured time in rounds taken in turn (A B, then B A), so that both
 * see the same load from other work. Latencies are every 2xx answer's, in milliseconds.
 */
export async function compareLookups(
  input: Readonly<{
    civic: Server;
    bare: Server;
    lookups: readonly LookupRequest[];
    seconds: number;
  }>,
): Promise<{ civic: LookupSummary; bare: LookupSummary }> {
  const requests: Request[] = input.lookups.map((lookup) => ({
    method: "POST",
    path: "/v1/inquiries",
    headers: { "content-type": "application/json", authorization: lookup.authorization },
    body: lookup.body,
  }));
  const side = (server: Server): Side => ({
    server,
    cpuMilliseconds: 0,
    answered: 0,
    seconds: 0,
    latencies: [],
    answeredAll: 0,
    notAnsweredAll: 0,
    problems: [],
  });
  const civic = side(input.civic);
  const bare = side(input.bare);
  await run(civic, requests, Math.min(warmupSeconds, input.seconds), false);
  await run(bare, requests, Math.min(warmupSeconds, input.seconds), false);
  const rounds = input.seconds >= 4 ? 2 : 1;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [civic, bare] : [bare, civic];
    for (const current of order) await run(current, requests, input.seconds / rounds, true);
  }
  return { civic: summary(civic), bare: summary(bare) };
}

async function run(side: Side, requests: Request[], seconds: number, measured: boolean) {
  const latencies: number[] = [];
  const instance = autocannon({
    url: side.server.url,
    connections: lookupConnections,
    duration: seconds,
    requests,
  }).on("response", (_client, status, _bytes, milliseconds) => {
    if (status >= 200 && status < 300) latencies.push(milliseconds);
  });
  const cpuBefore = processCpuMilliseconds(side.server.pid) ?? Number.NaN;
  const result = await instance;
  const cpuMilliseconds = (processCpuMilliseconds(side.server.pid) ?? Number.NaN) - cpuBefore;
  side.answeredAll += result["2xx"];
  side.notAnsweredAll += result.non2xx;
  side.problems.push(...runProblems(result, measured ? "lookups" : "lookup warm-up"));
  if (!measured) return;
  side.answered += result["2xx"];
  side.seconds += result.duration;
  side.cpuMilliseconds += cpuMilliseconds;
  // Not push(...latencies): a fast side answers more requests than a call has arguments room for.
  for (const latency of latencies) side.latencies.push(latency);
}

function summary(side: Side): LookupSummary {
  const sorted = side.latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: side.answered / side.seconds,
    p99Milliseconds: sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN,
    answeredAll: side.answeredAll,
    notAnsweredAll: side.notAnsweredAll,
    cpuMillisecondsPerAnswer: side.cpuMilliseconds / side.answered,
    problems: side.problems,
  };
}

/** The rate and p99 rows, valid only when every lookup answered was stored as an inquiry. */
export function lookupRows(
  runs: Readonly<{ civic: LookupSummary; bare: LookupSummary }>,
  allowedInquiries: number,
  seconds: number,
): BenchResult[] {
  const { civic, bare } = runs;
  const problems = [...civic.problems, ...bare.problems];
  // A timed run stops with one request in flight per connection: the server may still answer
  // and record it, uncounted. Anything outside that margin is a lost or an extra inquiry.
  const runCount = 1 + (seconds >= 4 ? 2 : 1);
  const inFlightMax = runCount * lookupConnections;
  log(
    `lookups answered 2xx: ${count(civic.answeredAll)} (warm-up included), not 2xx: ${count(civic.notAnsweredAll)}`,
  );
  log(
    `allowed inquiries stored by the server: ${count(allowedInquiries)} (requests in flight when a run stops: up to ${inFlightMax})`,
  );
  log(
    `server CPU per answer: civic ${civic.cpuMillisecondsPerAnswer.toFixed(2)} ms, bare ${bare.cpuMillisecondsPerAnswer.toFixed(2)} ms; p99 bare ${bare.p99Milliseconds.toFixed(2)} ms`,
  );
  if (allowedInquiries < civic.answeredAll || allowedInquiries > civic.answeredAll + inFlightMax)
    problems.push(`${count(allowedInquiries)} inquiries stored for ${count(civic.answeredAll)}`);
  const invalid = problems.length === 0 ? "" : `INVALID: ${problems.join("; ")}; `;
  const settings = `${lookupConnections} connections, ${seconds} s`;
  return [
    {
      name: `score lookups: POST /v1/inquiries by partners with consent (each writes an inquiry), ${settings}`,
      figure: civic.requestsPerSecond,
      unit: "requests/s",
      baseline: bare.requestsPerSecond,
      baselineName: "bare Fastify route, constant JSON",
      goal: `${invalid}>= 0.5 of baseline`,
      met: problems.length === 0 && civic.requestsPerSecond >= 0.5 * bare.requestsPerSecond,
    },
    {
      name: `score lookups: p99 latency, ${settings}`,
      figure: civic.p99Milliseconds,
      unit: "ms",
      baseline: bare.p99Milliseconds,
      baselineName: "bare Fastify route",
      goal: `${invalid}< ${latencyGoalMilliseconds} ms`,
      met: problems.length === 0 && civic.p99Milliseconds < latencyGoalMilliseconds,
    },
  ];
}
