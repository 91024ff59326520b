import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Rulebook } from "../core/rulebook.js";
import { openDatabase, sqliteDatabasePath } from "../store/sqlite/sqlite.connection.js";
import {
  eventsPerRequest,
  generateBatches,
  lookupRequests,
  prepareHttpLedger,
} from "./http.fixture.js";
import { compareIngest, ingestConnections, ingestRow } from "./http.ingest.js";
import { compareLookups, lookupConnections, lookupRows } from "./http.lookups.js";
import { count, log } from "./http.run.js";
import { type RunningServer, startServer } from "./http.server.js";
import type { BenchResult } from "./report.js";

export type HttpBenchOptions = Readonly<{
  /** Events ingested over HTTP, and in-process for the baseline; rounded to whole requests. */
  events: number;
  subjects: number;
  /** Measured seconds of lookups against each server (the civic one and the bare baseline). */
  lookupSeconds: number;
}>;

const civic = fileURLToPath(new URL("../../bin/civic.js", import.meta.url));
const bareServer = fileURLToPath(new URL("./bare-fastify.server.js", import.meta.url));
/** Untimed batches each ingest path takes first (JIT, caches, connections). */
const warmupBatches = 10;

/**
 * The HTTP API under autocannon against `civic serve` in its own process on a file-backed data
 * folder, the load generator in this one: batch ingest beside the same batches ingested
 * in-process, and score lookups by partners with consent beside a bare Fastify route (also in
 * its own process). Each figure is checked against what the ledger stored.
 */
export async function benchHttp(
  rulebook: Rulebook,
  options: HttpBenchOptions,
): Promise<BenchResult[]> {
  const batchCount = Math.max(1, Math.round(options.events / eventsPerRequest));
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-http-"));
  const servers: RunningServer[] = [];
  try {
    const now = Date.now();
    const all = generateBatches(rulebook, {
      batchCount: warmupBatches + batchCount,
      subjects: options.subjects,
      now,
      prefix: "h",
    });
    const served = join(folder, "served");
    const inProcessData = join(folder, "in-process");
    const keys = await prepareHttpLedger(served, { subjects: options.subjects, now });
    await prepareHttpLedger(inProcessData, { subjects: options.subjects, now });
    const civicServer = await startServer({
      script: civic,
      args: ["--data", served, "serve", "--host", "127.0.0.1", "--port", "0"],
      name: "civic serve",
      logFile: join(folder, "civic-serve.log"),
    });
    servers.push(civicServer);
    const bare = await startServer({
      script: bareServer,
      args: [],
      name: "bare fastify",
      logFile: join(folder, "bare-fastify.log"),
    });
    servers.push(bare);
    log(`servers: civic serve pid ${civicServer.pid}, bare fastify pid ${bare.pid}`);

    log(`ingest: ${count(batchCount * eventsPerRequest)} events, ${ingestConnections} connections`);
    const ingest = await compareIngest({
      url: civicServer.url,
      serverPid: civicServer.pid,
      inProcessData,
      batches: { warmup: all.slice(0, warmupBatches), measured: all.slice(warmupBatches) },
      sourceKeys: keys.sourceKeys,
    });
    log(`score lookups: ${options.lookupSeconds} s each, ${lookupConnections} connections`);
    const lookups = await compareLookups({
      civic: civicServer,
      bare,
      lookups: lookupRequests(keys, options.subjects),
      seconds: options.lookupSeconds,
    });
    // Stopped before counting: what the ledger committed, not what the answers claimed.
    await stopAll(servers);
    const stored = storedCounts(served);
    return [
      ingestRow(ingest, stored.entries),
      ...lookupRows(lookups, stored.allowedInquiries, options.lookupSeconds),
    ];
  } finally {
    // Only servers still running after a failure: that failure is the one to report.
    await stopAll(servers).catch((error: unknown) => log(`stopping servers: ${error}`));
    rmSync(folder, { recursive: true, force: true });
  }
}

async function stopAll(servers: RunningServer[]): Promise<void> {
  const stopping = servers.splice(0);
  await Promise.all(stopping.map((server) => server.stop()));
}

function storedCounts(dataDirectory: string): { entries: number; allowedInquiries: number } {
  const database = openDatabase({ path: sqliteDatabasePath(dataDirectory) });
  try {
    const scalar = (sql: string) => database.prepare(sql).pluck().get() as number;
    return {
      entries: scalar("SELECT COUNT(*) FROM entries"),
      allowedInquiries: scalar("SELECT COUNT(*) FROM inquiries WHERE allowed = 1"),
    };
  } finally {
    database.close();
  }
}
