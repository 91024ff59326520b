import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { initialiseLedger } from "../cli/initialise.js";
import type { Rulebook } from "../core/rulebook.js";
import { days } from "../core/time.js";
import { openPostgresStore, redactUrl } from "../store/postgres/postgres.store.js";
import { seededRandom } from "./random.js";
import type { BenchResult } from "./report.js";

export type PostgresBenchOptions = Readonly<{
  events: number;
  subjects: number;
  /** Events per committed batch, for the ingest and for the COPY alike. */
  batchEvents: number;
  /** A database the bench may create and drop two scratch schemas in. */
  url: string;
}>;

export const postgresBenchUrlVariable = "CIVIC_BENCH_POSTGRES_URL";
export const postgresBenchUrlDefault = "postgres://postgres@127.0.0.1:5432/test";

const civic = fileURLToPath(new URL("../../bin/civic.js", import.meta.url));
const sourceName = "bench-agency";
const evidenceDescription = "Officer's report";

type GeneratedEvent = Readonly<{ id: string; subject: number; rule: number; occurredAt: number }>;

/**
 * Durable ingest into PostgreSQL through the real path, `civic ingest FILE --store URL` in its
 * own process (read, parse, validate, deduplicate, price, and the adapter's batch write of
 * entries, event keys, scores and ratings), beside a bare COPY of the same entry rows into a
 * table with the same keys and indexes (a scratch schema migrated like the ledger's), in
 * batches of the same size, each committed. The scratch schemas are dropped at the end.
 */
export async function benchPostgres(
  rulebook: Rulebook,
  options: PostgresBenchOptions,
): Promise<BenchResult[]> {
  const label = `${options.events.toLocaleString("en-US")} events, ${options.subjects.toLocaleString("en-US")} subjects, batches of ${options.batchEvents.toLocaleString("en-US")}`;
  const name = `durable ingest: civic ingest --store postgres, ${label}`;
  const unreachable = await unreachableReason(options.url);
  if (unreachable) {
    process.stderr.write(
      `postgres bench NOT RUN: ${unreachable}; set ${postgresBenchUrlVariable} or start PostgreSQL\n`,
    );
    return [notRun(name)];
  }
  const suffix = randomBytes(4).toString("hex");
  const ledgerSchema = `civic_bench_${suffix}`;
  const copySchemas = [`civic_bench_copy_before_${suffix}`, `civic_bench_copy_after_${suffix}`];
  const schemas = [ledgerSchema, ...copySchemas];
  const folder = mkdtempSync(join(tmpdir(), "civic-bench-postgres-"));
  try {
    const now = Date.now();
    const events = generateEvents(rulebook, options, now);
    const file = join(folder, "events.ndjson");
    await writeEventFile(file, events, rulebook);
    const fixture = await prepareLedger(ledgerSchema, rulebook, options, now);
    // The baseline's table is the ledger's: the same migrations, keys and indexes.
    for (const schema of copySchemas) {
      await (await openPostgresStore({ url: options.url, schema })).close();
    }
    const copy = (schema: string) =>
      copyBare(options.url, schema, events, {
        rulebook,
        fixture,
        now,
        batchEvents: options.batchEvents,
      });
    // The COPY runs before and after the ingest, into empty tables alike: on a shared machine
    // the load drifts, and their mean brackets the ingest's conditions.
    const copyBeforeSeconds = await copy(copySchemas[0] as string);
    const ingestSeconds = await runIngest(schemaUrl(options.url, ledgerSchema), file, options);
    const copyAfterSeconds = await copy(copySchemas[1] as string);
    await requireEntries(options.url, schemas, options.events);
    const figure = options.events / ingestSeconds;
    const baseline = options.events / ((copyBeforeSeconds + copyAfterSeconds) / 2);
    const sizes = await storageSizes(options.url, ledgerSchema, copySchemas[0] as string);
    return [
      {
        name,
        figure,
        unit: "events/s",
        baseline,
        baselineName: "bare COPY, same entry rows and keys, mean of before and after",
        goal: ">= 0.5 of baseline",
        met: figure >= 0.5 * baseline,
      },
      {
        name: `disk per event in that ledger: entries, event keys, rating changes, their indexes`,
        figure: sizes.perEventBytes / options.events,
        unit: "bytes",
        baseline: sizes.copyBytes / options.events,
        baselineName: "the bare COPY's entry rows and their indexes",
        goal: "none (an input to docs/scaling.md)",
        met: undefined,
      },
      {
        name: "disk per subject in that ledger: subject, score, directory row, their indexes",
        figure: sizes.perSubjectBytes / options.subjects,
        unit: "bytes",
        baseline: undefined,
        baselineName: undefined,
        goal: "none (an input to docs/scaling.md)",
        met: undefined,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await dropSchemas(options.url, schemas);
  }
}

function notRun(name: string): BenchResult {
  return {
    name: `${name} (NOT RUN: no PostgreSQL)`,
    figure: 0,
    unit: "events/s",
    baseline: undefined,
    baselineName: undefined,
    goal: ">= 0.5 of baseline",
    met: false,
  };
}

async function unreachableReason(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable at ${redactUrl(url)} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function schemaUrl(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set("schema", schema);
  return withSchema.toString();
}

function generateEvents(
  rulebook: Rulebook,
  options: PostgresBenchOptions,
  now: number,
): GeneratedEvent[] {
  const random = seededRandom(2);
  return Array.from({ length: options.events }, (_, index) => ({
    // Sources number their reports; the ids ascend as most sources' ids do.
    id: `e${String(index).padStart(8, "0")}`,
    subject: Math.floor(random() * options.subjects),
    rule: Math.floor(random() * rulebook.rules.length),
    occurredAt: now - Math.floor(random() * days(365)),
  }));
}

const subjectName = (index: number) => `s${String(index).padStart(7, "0")}`;
const evidenceOf = (event: GeneratedEvent) => ({
  description: evidenceDescription,
  reference: `ref-${event.id}`,
});

async function writeEventFile(file: string, events: readonly GeneratedEvent[], rulebook: Rulebook) {
  const stream = createWriteStream(file);
  for (const event of events) {
    const line = JSON.stringify({
      id: event.id,
      subject: subjectName(event.subject),
      type: rulebook.rules[event.rule]?.type,
      occurredAt: new Date(event.occurredAt).toISOString(),
      evidence: evidenceOf(event),
    });
    if (!stream.write(`${line}\n`))
      await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** What the bare rows need from the ledger: internal subject ids, type ids, the source id. */
type LedgerFixture = Readonly<{
  subjectIds: readonly number[];
  typeIds: ReadonlyMap<string, number>;
  sourceId: number;
}>;

async function prepareLedger(
  schema: string,
  rulebook: Rulebook,
  options: PostgresBenchOptions,
  now: number,
): Promise<LedgerFixture> {
  const store = await openPostgresStore({ url: options.url, schema });
  try {
    await initialiseLedger(store, { at: now - days(400), by: "bench" });
    for (let start = 0; start < options.subjects; start += 10_000) {
      const end = Math.min(options.subjects, start + 10_000);
      const chunk = [];
      for (let index = start; index < end; index++)
        chunk.push({ id: subjectName(index), region: `r${index % 12}` });
      await store.enrollSubjects(chunk, now - days(400));
    }
    const source = await store.addSource(
      { name: sourceName, kind: "agency", allowedTypes: ["*"] },
      now - days(400),
    );
    if ("refused" in source) throw new Error(source.refused);
    const internalIds = new Map<string, number>();
    for (let after = 0; ; ) {
      const page = await store.subjectsPage(after, 10_000);
      if (page.length === 0) break;
      for (const subject of page) internalIds.set(subject.id, subject.internalId);
      after = (page.at(-1) as (typeof page)[number]).internalId;
    }
    const subjectIds = Array.from({ length: options.subjects }, (_, index) => {
      const id = internalIds.get(subjectName(index));
      if (id === undefined) throw new Error(`subject ${subjectName(index)} was not enrolled`);
      return id;
    });
    const typeIds = await typeIdsOf(options.url, schema, rulebook);
    return { subjectIds, typeIds, sourceId: source.id };
  } finally {
    await store.close();
  }
}

async function typeIdsOf(
  url: string,
  schema: string,
  rulebook: Rulebook,
): Promise<Map<string, number>> {
  return withClient(url, async (client) => {
    const found = await client.query<{ id: string; type: string }>(
      `SELECT id, type FROM ${schema}.event_types`,
    );
    const ids = new Map(found.rows.map((row) => [row.type, Number(row.id)]));
    for (const rule of rulebook.rules) {
      if (!ids.has(rule.type)) throw new Error(`type ${rule.type} was not published`);
    }
    return ids;
  });
}

/** The real path: `civic ingest` in its own process; its summary must accept every event. */
async function runIngest(url: string, file: string, options: PostgresBenchOptions) {
  const start = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      civic,
      "ingest",
      file,
      "--store",
      url,
      "--source",
      sourceName,
      "--batch-size",
      String(options.batchEvents),
      "--json",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) throw new Error(`civic ingest --store postgres exited with ${code}`);
  const summary = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    summary?: { accepted?: number };
  };
  if (summary.summary?.accepted !== options.events) {
    throw new Error(`civic ingest accepted ${summary.summary?.accepted} of ${options.events}`);
  }
  return seconds;
}

const copyColumns = `subject_id, id, source_id, event_key, type_id, occurred_at, received_at,
  evidence, confidence, region, attributes, points, initial_status, status, effective_at,
  expires_at, rulebook_version`;

/** COPY's text format: a backslash, tab or line break in a value is escaped. */
const copyText = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (character) => copyEscapes[character] as string);
const copyEscapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** The baseline: the same entry rows, one bare COPY per batch, each committed. */
async function copyBare(
  url: string,
  schema: string,
  events: readonly GeneratedEvent[],
  context: Readonly<{
    rulebook: Rulebook;
    fixture: LedgerFixture;
    now: number;
    batchEvents: number;
  }>,
): Promise<number> {
  const { rulebook, fixture, now, batchEvents } = context;
  return withClient(url, async (client) => {
    await client.query(`SET search_path TO ${schema}`);
    const start = process.hrtime.bigint();
    for (let first = 0; first < events.length; first += batchEvents) {
      const lines: string[] = [];
      const last = Math.min(events.length, first + batchEvents);
      for (let index = first; index < last; index++) {
        const event = events[index] as GeneratedEvent;
        const rule = rulebook.rules[event.rule] as Rulebook["rules"][number];
        lines.push(
          [
            fixture.subjectIds[event.subject],
            index + 1,
            fixture.sourceId,
            copyText(event.id),
            fixture.typeIds.get(rule.type),
            event.occurredAt,
            now,
            copyText(JSON.stringify(evidenceOf(event))),
            "\\N",
            "\\N",
            "\\N",
            rule.points,
            "effective",
            "effective",
            event.occurredAt,
            event.occurredAt + rule.expiresAfterMilliseconds,
            1,
          ].join("\t"),
        );
      }
      const copy = client.query(copyFrom(`COPY entries (${copyColumns}) FROM STDIN`));
      await pipeline(async function* () {
        yield `${lines.join("\n")}\n`;
      }, copy);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  });
}

async function requireEntries(url: string, schemas: readonly string[], expected: number) {
  await withClient(url, async (client) => {
    for (const schema of schemas) {
      const found = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schema}.entries`,
      );
      const stored = found.rows[0]?.n;
      if (stored !== expected) throw new Error(`${schema}.entries holds ${stored} of ${expected}`);
    }
  });
}

/** Bytes on disk (tables, their indexes and TOAST) of what grows with events and with subjects. */
async function storageSizes(
  url: string,
  ledgerSchema: string,
  copySchema: string,
): Promise<{ perEventBytes: number; perSubjectBytes: number; copyBytes: number }> {
  return withClient(url, async (client) => {
    await client.query(`VACUUM ${ledgerSchema}.entries, ${ledgerSchema}.event_keys`);
    const total = async (schema: string, tables: readonly string[]) => {
      const found = await client.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(format('%I.%I', $1::text, t)::regclass))::text AS bytes
           FROM unnest($2::text[]) AS t`,
        [schema, tables],
      );
      return Number(found.rows[0]?.bytes ?? 0);
    };
    return {
      perEventBytes: await total(ledgerSchema, ["entries", "event_keys", "rating_changes"]),
      perSubjectBytes: await total(ledgerSchema, ["subjects", "scores", "subject_directory"]),
      copyBytes: await total(copySchema, ["entries"]),
    };
  });
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  await withClient(url, async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }).catch((error: Error) => {
    process.stderr.write(
      `postgres bench: could not drop ${schemas.join(", ")}: ${error.message}\n`,
    );
  });
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
