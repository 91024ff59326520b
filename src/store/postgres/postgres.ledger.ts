import type pg from "pg";
import { type BatchItem, batchEventsMax } from "../../core/batch.js";
import type { HistoryChunk } from "../../core/history.js";
import type { Outcome } from "../../core/outcome.js";
import type { SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
import { scoringPolicyChanged } from "../sqlite/sqlite.rulebooks.js";
import type {
  AuditLine,
  EnrollOutcome,
  EntryRecord,
  HistoryQuery,
  LedgerCounts,
  LedgerStore,
  PublishedRulebook,
  RatingChangeRecord,
  RulebookPublication,
  RulebookSummary,
  SourceInput,
  StoredScore,
  Subject,
  SubjectInput,
  TransitionInput,
  TransitionOutcome,
  TransitionRecord,
} from "../store.js";
import { AuditLog } from "./postgres.audit.js";
import {
  beginLedgerWrite,
  LedgerClock,
  type LedgerWrite,
  ledgerWrite,
  readClock,
} from "./postgres.clock.js";
import { beginTransaction, inTransaction, row, type Sql } from "./postgres.connection.js";
import { EntryReader } from "./postgres.entries.js";
import { type HistoryLimits, HistoryReader } from "./postgres.history.js";
import { BatchWriter } from "./postgres.ingest.js";
import { RulebookShelf } from "./postgres.rulebooks.js";
import { ScoreBook } from "./postgres.scores.js";
import { SourceRegistry } from "./postgres.sources.js";
import { SubjectDirectory } from "./postgres.subjects.js";
import { TransitionLog } from "./postgres.transitions.js";

/** What closing the store does beyond ending the pool (a test drops its schema). */
export type CloseHook = (pool: pg.Pool) => Promise<void>;

/**
 * The PostgreSQL `LedgerStore`. Every ledger write is one transaction that first locks the
 * `ledger_state` row (`beginLedgerWrite`), so writes take turns across connections and processes
 * as SQLite's single writer does (the clock is one value for the whole ledger), each statement
 * of a write seeing every write committed before it. Reads take no lock; a read of several
 * statements runs in one snapshot. `PostgresStore` (postgres.access.ts) extends it with the
 * `AccessStore`.
 */
export class PostgresLedgerStore implements LedgerStore {
  protected readonly scores = new ScoreBook();
  protected readonly clock = new LedgerClock(this.scores);
  protected readonly rulebooks = new RulebookShelf();
  protected readonly subjects = new SubjectDirectory(this.scores);
  protected readonly sourceRegistry = new SourceRegistry();
  protected readonly reader = new EntryReader(this.rulebooks);
  protected readonly batches = new BatchWriter(this.subjects, this.scores);
  protected readonly audit = new AuditLog();
  protected readonly transitionLog: TransitionLog;
  private readonly historyReader: HistoryReader;
  private closing: Promise<void> | undefined;
  /** The last ledger write of this store, queued or running (see `write`). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    protected readonly pool: pg.Pool,
    history: HistoryLimits,
    private readonly onClose: CloseHook | undefined,
  ) {
    this.historyReader = new HistoryReader(pool, history);
    this.transitionLog = new TransitionLog({
      scores: this.scores,
      advance: async (write, requested) => (await this.advance(write, requested)).clock,
      thresholds: async (write) =>
        (await this.requireRulebook(write, "score a transition")).rulebook.ratingThresholds,
    });
  }

  /** Waits for the connections in use to be released, then ends them; later calls wait too. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.onClose?.(this.pool);
      } finally {
        await this.pool.end();
      }
    })();
    return this.closing;
  }

  async publishRulebook(
    input: RulebookPublication,
    audit?: AuditLine<PublishedRulebook>,
  ): Promise<PublishedRulebook> {
    const published = await this.write(async (write) => {
      const { sql } = write;
      const previous = await this.rulebookIn(write);
      const { clock } = await this.advance(write, input.publishedAt);
      const next = await this.rulebooks.insertNext(sql, input);
      write.rulebookVersion = next.version;
      if (previous && scoringPolicyChanged(previous.rulebook, next.rulebook)) {
        await this.scores.rescoreAll(sql, {
          previous: previous.rulebook,
          next: next.rulebook,
          at: clock,
        });
      }
      return this.audited(sql, next, audit, input.publishedAt);
    });
    this.rulebooks.remember(published);
    return published;
  }

  async currentRulebook(): Promise<PublishedRulebook | undefined> {
    return this.rulebooks.current(this.pool);
  }

  async rulebookVersion(version: number): Promise<PublishedRulebook | undefined> {
    return this.rulebooks.version(this.pool, version);
  }

  async rulebookHistory(): Promise<RulebookSummary[]> {
    return this.rulebooks.history(this.pool);
  }

  async enrollSubjects(
    subjects: readonly SubjectInput[],
    at: Instant,
    audit?: AuditLine<EnrollOutcome[]>,
  ): Promise<EnrollOutcome[]> {
    return this.write(async (write) => {
      const published = await this.requireRulebook(write, "enroll subjects");
      await this.advance(write, at);
      const outcomes = await this.subjects.enroll(write, subjects, {
        at,
        rulebook: published.rulebook,
      });
      return this.audited(write.sql, outcomes, audit, at);
    });
  }

  async subject(id: string): Promise<Subject | undefined> {
    return this.subjects.subject(this.pool, id);
  }

  async subjectsPage(afterInternalId: number, limit: number): Promise<Subject[]> {
    return this.subjects.page(this.pool, afterInternalId, limit);
  }

  /** No ledger lock: a source's name is its unique key. */
  async addSource(
    input: SourceInput,
    at: Instant,
    audit?: AuditLine<SourceProfile | { refused: string }>,
  ): Promise<SourceProfile | { refused: string }> {
    if (!audit) return this.sourceRegistry.add(this.pool, input, at);
    return inTransaction(this.pool, async (sql) =>
      this.audited(sql, await this.sourceRegistry.add(sql, input, at), audit, at),
    );
  }

  async source(name: string): Promise<SourceProfile | undefined> {
    return this.sourceRegistry.source(this.pool, name);
  }

  async sources(): Promise<SourceProfile[]> {
    return this.sourceRegistry.sources(this.pool);
  }

  async ingestBatch(
    source: SourceProfile,
    items: readonly BatchItem[],
    receivedAt: Instant,
  ): Promise<Outcome[]> {
    if (items.length > batchEventsMax) {
      throw new Error(`batch of ${items.length} events exceeds ${batchEventsMax}`);
    }
    return this.write(async (write) => {
      const published = await this.requireRulebook(write, "ingest events");
      const { clock } = await this.advance(write, receivedAt);
      return this.batches.ingest(write, source, items, { receivedAt: clock, published });
    });
  }

  async entries(subjectId: string): Promise<EntryRecord[]> {
    const internalId = await this.internalId(subjectId);
    return internalId === undefined ? [] : this.reader.entries(this.pool, internalId);
  }

  async entry(entryId: number): Promise<EntryRecord | undefined> {
    return this.reader.entry(this.pool, entryId);
  }

  async entriesOfSubjects(internalIds: readonly number[]): Promise<Map<number, EntryRecord[]>> {
    return this.reader.entriesOfSubjects(this.pool, internalIds);
  }

  async transitions(entryId: number): Promise<TransitionRecord[]> {
    return this.reader.transitions(this.pool, entryId);
  }

  async storedScore(subjectId: string): Promise<StoredScore | undefined> {
    const internalId = await this.internalId(subjectId);
    if (internalId === undefined) return undefined;
    return (await this.scores.stored(this.pool, [internalId])).get(internalId);
  }

  async scoreAt(subjectId: string, at: Instant): Promise<number | undefined> {
    const internalId = await this.internalId(subjectId);
    return internalId === undefined ? undefined : this.scores.scoreAt(this.pool, internalId, at);
  }

  async storedScores(internalIds: readonly number[]): Promise<Map<number, StoredScore>> {
    return this.scores.stored(this.pool, internalIds);
  }

  async ratingChanges(subjectId: string): Promise<RatingChangeRecord[]> {
    const internalId = await this.internalId(subjectId);
    return internalId === undefined ? [] : this.scores.changes(this.pool, internalId);
  }

  async applyTransition(entryId: number, transition: TransitionInput): Promise<TransitionOutcome> {
    return this.write((write) => this.transitionLog.append(write, entryId, transition));
  }

  async advanceClock(now: Instant): Promise<number> {
    return this.write(async (write) => (await this.advance(write, now)).expired);
  }

  async ledgerClock(): Promise<Instant> {
    return readClock(this.pool);
  }

  /** One statement: the three counts come from one snapshot. */
  async counts(): Promise<LedgerCounts> {
    const counted = await row<LedgerCounts>(
      this.pool,
      `SELECT (SELECT count(*) FROM subjects) AS subjects,
         (SELECT count(*) FROM sources) AS sources,
         (SELECT count(*) FROM entries) AS entries`,
    );
    if (!counted) throw new Error("counting returned no row");
    return counted;
  }

  history(query: HistoryQuery): AsyncIterable<HistoryChunk> {
    return this.historyReader.read(query);
  }

  /**
   * One ledger write: a transaction that takes the ledger lock before anything else. Writes
   * take turns anyway, so this store queues its own and sends one at a time: the others wait
   * here rather than each on a connection of the pool, which stays free for reads.
   */
  protected write<Result>(body: (write: LedgerWrite) => Promise<Result>): Promise<Result> {
    const written = this.writes.then(() =>
      beginTransaction(this.pool, beginLedgerWrite, (sql, opened) =>
        body(ledgerWrite(sql, opened)),
      ),
    );
    this.writes = written.catch(() => undefined);
    return written;
  }

  protected advance(
    write: LedgerWrite,
    requested: Instant,
  ): Promise<{ clock: Instant; expired: number }> {
    return this.clock.advance(
      write,
      requested,
      async () => (await this.requireRulebook(write, "expire entries")).rulebook.ratingThresholds,
    );
  }

  /**
   * Appends the action's audit line, if any, in the action's transaction, stamped with the
   * action's time `at`, and returns the result; a line the log refuses throws, and the action is
   * rolled back with it.
   */
  protected async audited<Result>(
    sql: Sql,
    result: Result,
    audit: AuditLine<Result> | undefined,
    at: Instant,
  ): Promise<Result> {
    const line = audit?.(result);
    if (line) await this.audit.append(sql, { ...line, at });
    return result;
  }

  /** The current rulebook of a write: the version read with the ledger lock. */
  protected async rulebookIn(write: LedgerWrite): Promise<PublishedRulebook | undefined> {
    if (write.rulebookVersion === undefined) return undefined;
    return this.rulebooks.version(write.sql, write.rulebookVersion);
  }

  protected async requireRulebook(write: LedgerWrite, doing: string): Promise<PublishedRulebook> {
    const published = await this.rulebookIn(write);
    if (!published) throw new Error(`cannot ${doing} before a rulebook is published`);
    return published;
  }

  protected async internalId(subjectId: string): Promise<number | undefined> {
    return (await this.subjects.resolve(this.pool, [subjectId])).get(subjectId);
  }
}
