import type Database from "better-sqlite3";
import { type BatchItem, batchEventsMax } from "../../core/batch.js";
import type { HistoryChunk } from "../../core/history.js";
import type { Outcome } from "../../core/outcome.js";
import type { SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
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
import { AuditLog } from "./sqlite.audit.js";
import type { Checkpointer } from "./sqlite.checkpointer.js";
import { LedgerClock } from "./sqlite.clock.js";
import { EntryReader } from "./sqlite.entries.js";
import { type HistoryLimits, HistoryReader } from "./sqlite.history.js";
import { BatchWriter } from "./sqlite.ingest.js";
import { ForeignCommits } from "./sqlite.read-cache.js";
import { RulebookShelf, scoringPolicyChanged } from "./sqlite.rulebooks.js";
import { ScoreBook } from "./sqlite.scores.js";
import { SourceRegistry } from "./sqlite.sources.js";
import { SubjectDirectory } from "./sqlite.subjects.js";
import { TransitionLog } from "./sqlite.transitions.js";

/**
 * The SQLite `LedgerStore`. better-sqlite3 is synchronous: each method runs to completion inside
 * one call, so calls never interleave; the promises are for the interface, which a PostgreSQL
 * adapter shares. `SqliteStore` (sqlite.access.ts) extends it with the `AccessStore`.
 */
export class SqliteLedgerStore implements LedgerStore {
  protected readonly scores: ScoreBook;
  protected readonly clock: LedgerClock;
  protected readonly rulebooks: RulebookShelf;
  protected readonly subjects: SubjectDirectory;
  protected readonly sourceRegistry: SourceRegistry;
  protected readonly reader: EntryReader;
  protected readonly batches: BatchWriter;
  protected readonly transitionLog: TransitionLog;
  /** Tells this connection's caches when another process committed. */
  protected readonly foreign: ForeignCommits;
  /** Admin actions' lines, written in the actions' own transactions (see `audited`). */
  protected readonly auditTrail: AuditLog;

  private readonly historyReader: HistoryReader;

  constructor(
    protected readonly database: Database.Database,
    private readonly checkpointer: Checkpointer | undefined,
    history: HistoryLimits,
  ) {
    this.historyReader = new HistoryReader(database, history);
    this.scores = new ScoreBook(database);
    this.clock = new LedgerClock(database, this.scores);
    this.foreign = new ForeignCommits(database);
    this.auditTrail = new AuditLog(database);
    this.rulebooks = new RulebookShelf(database, this.foreign);
    this.subjects = new SubjectDirectory(database, this.scores);
    this.sourceRegistry = new SourceRegistry(database);
    this.reader = new EntryReader(database, this.rulebooks);
    this.batches = new BatchWriter(database, this.subjects, this.scores);
    this.transitionLog = new TransitionLog(database, {
      scores: this.scores,
      advance: (requested) => this.advance(requested).clock,
      thresholds: () => this.requireRulebook("score a transition").rulebook.ratingThresholds,
    });
  }

  async close(): Promise<void> {
    if (!this.database.open) return;
    await this.checkpointer?.stop();
    if (!this.database.open) return;
    // `optimize` may write statistics: a read-only store leaves the file as it found it.
    if (!this.database.readonly) this.database.pragma("optimize");
    this.database.close();
  }

  async publishRulebook(
    input: RulebookPublication,
    audit?: AuditLine<PublishedRulebook>,
  ): Promise<PublishedRulebook> {
    const published = this.audited(audit, input.publishedAt, () => {
      const previous = this.rulebooks.current();
      const { clock } = this.advance(input.publishedAt);
      const next = this.rulebooks.insertNext(input);
      if (previous && scoringPolicyChanged(previous.rulebook, next.rulebook)) {
        this.scores.rescoreAll({ previous: previous.rulebook, next: next.rulebook, at: clock });
      }
      return next;
    });
    this.rulebooks.remember(published);
    return published;
  }

  async currentRulebook(): Promise<PublishedRulebook | undefined> {
    return this.rulebooks.current();
  }

  async rulebookVersion(version: number): Promise<PublishedRulebook | undefined> {
    return this.rulebooks.version(version);
  }

  async rulebookHistory(): Promise<RulebookSummary[]> {
    return this.rulebooks.history();
  }

  async enrollSubjects(
    subjects: readonly SubjectInput[],
    at: Instant,
    audit?: AuditLine<EnrollOutcome[]>,
  ): Promise<EnrollOutcome[]> {
    return this.audited(audit, at, () => {
      const published = this.requireRulebook("enroll subjects");
      this.advance(at);
      return this.subjects.enroll(subjects, at, published.rulebook);
    });
  }

  async subject(id: string): Promise<Subject | undefined> {
    return this.subjects.subject(id);
  }

  async subjectsPage(afterInternalId: number, limit: number): Promise<Subject[]> {
    return this.subjects.page(afterInternalId, limit);
  }

  async addSource(
    input: SourceInput,
    at: Instant,
    audit?: AuditLine<SourceProfile | { refused: string }>,
  ): Promise<SourceProfile | { refused: string }> {
    return this.audited(audit, at, () => this.sourceRegistry.add(input, at));
  }

  async source(name: string): Promise<SourceProfile | undefined> {
    return this.sourceRegistry.source(name);
  }

  async sources(): Promise<SourceProfile[]> {
    return this.sourceRegistry.sources();
  }

  async ingestBatch(
    source: SourceProfile,
    items: readonly BatchItem[],
    receivedAt: Instant,
  ): Promise<Outcome[]> {
    if (items.length > batchEventsMax) {
      throw new Error(`batch of ${items.length} events exceeds ${batchEventsMax}`);
    }
    return this.write(() => {
      const published = this.requireRulebook("ingest events");
      const { clock } = this.advance(receivedAt);
      return this.batches.ingest(source, items, clock, published);
    });
  }

  async entries(subjectId: string): Promise<EntryRecord[]> {
    return this.reader.entries(subjectId);
  }

  async entry(entryId: number): Promise<EntryRecord | undefined> {
    return this.reader.entry(entryId);
  }

  async entriesOfSubjects(internalIds: readonly number[]): Promise<Map<number, EntryRecord[]>> {
    return this.reader.entriesOfSubjects(internalIds);
  }

  async transitions(entryId: number): Promise<TransitionRecord[]> {
    return this.reader.transitions(entryId);
  }

  async storedScore(subjectId: string): Promise<StoredScore | undefined> {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    return internalId === undefined ? undefined : this.scores.stored(internalId);
  }

  async scoreAt(subjectId: string, at: Instant): Promise<number | undefined> {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    return internalId === undefined ? undefined : this.scores.scoreAt(internalId, at);
  }

  async storedScores(internalIds: readonly number[]): Promise<Map<number, StoredScore>> {
    const stored = new Map<number, StoredScore>();
    for (const internalId of internalIds) {
      const score = this.scores.stored(internalId);
      if (score) stored.set(internalId, score);
    }
    return stored;
  }

  async ratingChanges(subjectId: string): Promise<RatingChangeRecord[]> {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    return internalId === undefined ? [] : this.scores.changes(internalId);
  }

  async applyTransition(entryId: number, transition: TransitionInput): Promise<TransitionOutcome> {
    return this.write(() => this.transitionLog.append(entryId, transition));
  }

  async advanceClock(now: Instant): Promise<number> {
    return this.write(() => this.advance(now).expired);
  }

  async ledgerClock(): Promise<Instant> {
    return this.clock.read();
  }

  async counts(): Promise<LedgerCounts> {
    return {
      subjects: this.subjects.count(),
      sources: this.sourceRegistry.count(),
      entries: this.reader.count(),
    };
  }

  history(query: HistoryQuery): AsyncIterable<HistoryChunk> {
    return this.historyReader.read(query);
  }

  /** One write transaction, taking the write lock at once (no upgrade deadlocks between processes). */
  protected write<Result>(body: () => Result): Result {
    const result = this.database.transaction(body).immediate();
    this.checkpointer?.committed();
    return result;
  }

  /**
   * `write`, with the admin action's audit line (if any) in the same transaction, stamped with
   * the action's time `at`.
   */
  protected audited<Result>(
    audit: AuditLine<Result> | undefined,
    at: Instant,
    body: () => Result,
  ): Result {
    return this.write(() => {
      const result = body();
      const line = audit?.(result);
      if (line) this.auditTrail.append({ ...line, at });
      return result;
    });
  }

  protected advance(requested: Instant): { clock: Instant; expired: number } {
    return this.clock.advance(
      requested,
      () => this.requireRulebook("expire entries").rulebook.ratingThresholds,
    );
  }

  protected requireRulebook(doing: string): PublishedRulebook {
    const published = this.rulebooks.current();
    if (!published) throw new Error(`cannot ${doing} before a rulebook is published`);
    return published;
  }
}
