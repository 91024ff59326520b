import type { Rulebook } from "../core/rulebook.js";
import { days, type Instant } from "../core/time.js";
import { openDatabase } from "../store/sqlite/sqlite.connection.js";
import { HistorySealer } from "../store/sqlite/sqlite.history.seal.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";

export type StoredHistoryOptions = Readonly<{
  path: string;
  rulebook: Rulebook;
  rulebookText: string;
  events: number;
  subjects: number;
  /** The events are spread over the two years before this time, in id order. */
  end: Instant;
}>;

const regionCount = 12;
const sourceName = "bench-registry";
/** Rows per statement of the bare load: one statement per batch keeps the work in C. */
const loadBatchRows = 1_000_000;
const loadCacheMegabytes = 1_024;

/**
 * A SQLite ledger holding `events` stored entries of `subjects` subjects, built fast enough for a
 * benchmark: the schema, the rulebook and the source go through the store; subjects (with their
 * score rows and enrollment rating changes) and entries are bare `INSERT ... SELECT` statements
 * into the store's tables, generated in SQL from a counter with a fixed arithmetic hash (the same
 * rows every run). The entries' secondary indexes are dropped for the load and built again after
 * it. Ids ascend with time, like a live feed; subjects and types are spread by the hash. About
 * 3% are camera attributions (a third of them below the threshold, waiting for review), 1%
 * reversed, 1% under appeal. Stored scores are left at the base: the what-if reads entries.
 *
 * The bare load bypasses the ingest path, which seals the columnar copy of the history as it
 * goes; so the copy is sealed after the load, as maintenance would (`HistorySealer.sealAll`).
 * Returns how long that took.
 */
export async function buildStoredHistory(
  options: StoredHistoryOptions,
): Promise<{ sealSeconds: number }> {
  const { path, rulebook, end } = options;
  const start = end - days(730);
  const store = openSqliteStore({ path, checkpointInBackground: false });
  try {
    await store.publishRulebook({
      text: options.rulebookText,
      rulebook,
      publishedAt: start,
      publishedBy: "bench",
    });
    const added = await store.addSource(
      { name: sourceName, kind: "agency", allowedTypes: ["*"] },
      start,
    );
    if ("refused" in added) throw new Error(added.refused);
  } finally {
    await store.close();
  }
  const database = openDatabase({ path });
  try {
    // A scratch file: the rollback journal in memory (not the WAL, which would write every page
    // twice) and no syncs while loading, the ledger's WAL mode after. The generated rows are
    // consistent by construction: foreign keys are not checked row by row, and a large page
    // cache lets the index builds sort in memory.
    if (database.pragma("journal_mode = MEMORY", { simple: true }) !== "memory") {
      throw new Error("could not leave WAL mode for the load");
    }
    database.pragma("synchronous = OFF");
    database.pragma("foreign_keys = OFF");
    database.pragma(`cache_size = ${-loadCacheMegabytes * 1024}`);
    loadSubjects(database, options.subjects, start);
    const indexes = database
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL",
      )
      .all();
    for (const index of indexes) database.exec(`DROP INDEX ${index.name}`);
    loadEntries(database, options, start);
    for (const index of indexes) database.exec(index.sql);
    if (database.pragma("journal_mode = WAL", { simple: true }) !== "wal") {
      throw new Error("could not return to WAL mode after the load");
    }
    const sealStart = process.hrtime.bigint();
    new HistorySealer(database).sealAll();
    return { sealSeconds: Number(process.hrtime.bigint() - sealStart) / 1e9 };
  } finally {
    database.close();
  }
}

function loadSubjects(database: ReturnType<typeof openDatabase>, subjects: number, at: Instant) {
  const counter = `WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < ${subjects})`;
  database.transaction(() => {
    database.exec(`${counter}
      INSERT INTO subjects (internal_id, external_id, region, enrolled_at)
      SELECT n, printf('s%07d', n - 1), 'r' || ((n - 1) % ${regionCount}), ${at} FROM counter`);
    database.exec(`INSERT INTO scores (subject_id, score, rating, updated_at)
      SELECT internal_id, 1000, 'A', ${at} FROM subjects`);
    database.exec(`INSERT INTO rating_changes (subject_id, at, from_rating, to_rating, score, cause)
      SELECT internal_id, ${at}, NULL, 'A', 1000, 'enrollment' FROM subjects`);
  })();
}

function loadEntries(
  database: ReturnType<typeof openDatabase>,
  options: StoredHistoryOptions,
  start: Instant,
) {
  // One CASE per column: a joined VALUES list would be scanned again for every row.
  const byPosition = (value: (rule: Rulebook["rules"][number]) => string) =>
    `CASE position ${options.rulebook.rules.map((rule) => `WHEN ${rule.index} THEN ${value(rule)}`).join(" ")} END`;
  const typeIds = new Map(
    database
      .prepare<[], { id: number; type: string }>("SELECT id, type FROM event_types")
      .all()
      .map((row) => [row.type, row.id]),
  );
  const typeId = byPosition((rule) => String(typeIds.get(rule.type)));
  const points = byPosition((rule) => String(rule.points));
  const expiry = byPosition((rule) => String(rule.expiresAfterMilliseconds));
  const sourceId = database
    .prepare<[string], number>("SELECT id FROM sources WHERE name = ?")
    .pluck()
    .get(sourceName);
  const step = Math.floor(days(730) / options.events);
  const ruleCount = options.rulebook.rules.length;
  const insert = database.prepare<[number, number]>(`
    WITH RECURSIVE counter(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM counter WHERE n < ?),
      generated AS (
        SELECT n, ((n * 2654435761) % 4294967291) % ${options.subjects} + 1 AS subject,
          ((n * 40503) % 65521) % ${ruleCount} AS position, ${start} + n * ${step} AS at,
          (n * 7919) % 10007 % 100 AS fate, (n * 104729) % 1000 AS confidence_draw
        FROM counter)
    INSERT INTO entries (id, source_id, event_key, payload_hash, subject_id, type_id, occurred_at,
      received_at, evidence, confidence, region, attributes, points, initial_status, status,
      effective_at, expires_at, rulebook_version)
    SELECT n, ${sourceId}, printf('e%09d', n), printf('h%09d', n), subject, ${typeId}, at,
      at + 60000, '{"description":"Officer''s report","reference":"ref-' || n || '"}',
      CASE WHEN fate = 0 THEN 0.5 + confidence_draw / 2500.0
        WHEN fate < 3 THEN 0.9 + confidence_draw / 10000.0 END, NULL, NULL, ${points},
      CASE WHEN fate = 0 THEN 'pending_review' ELSE 'effective' END,
      CASE WHEN fate = 0 THEN 'pending_review' WHEN fate = 97 THEN 'reversed'
        WHEN fate = 98 THEN 'disputed' ELSE 'effective' END,
      at, at + ${expiry}, 1
    FROM generated`);
  for (let first = 1; first <= options.events; first += loadBatchRows) {
    const last = Math.min(options.events, first + loadBatchRows - 1);
    database.transaction(() => insert.run(first, last))();
  }
}
