import type { BatchItem } from "../core/batch.js";
import type { StoredStatus } from "../core/entry.js";
import type { Evidence } from "../core/event.js";
import type { HistoryChunk } from "../core/history.js";
import type { Outcome } from "../core/outcome.js";
import type { Rating } from "../core/rating.js";
import type { Rulebook } from "../core/rulebook.js";
import type { SourceKind, SourceProfile } from "../core/source.js";
import type { Instant } from "../core/time.js";
import type { TransitionKind } from "../core/transition.js";
import type { AuditAction } from "./access.store.js";

/**
 * The one storage interface. Every adapter (SQLite embedded, PostgreSQL server) implements it
 * and passes the contract suite in `store.contract.ts`. Methods that write are atomic: they
 * commit everything they change or nothing. Times are arguments; no adapter reads the clock.
 *
 * Stored scores are the scores "as of the ledger clock": every write first advances the clock
 * to its own time, applying the expiries that fell due, so the stored score always equals the
 * core's `scoreAt(entries, baseScore, clock)`.
 */
export interface LedgerStore {
  close(): Promise<void>;

  publishRulebook(
    input: RulebookPublication,
    audit?: AuditLine<PublishedRulebook>,
  ): Promise<PublishedRulebook>;
  currentRulebook(): Promise<PublishedRulebook | undefined>;
  rulebookVersion(version: number): Promise<PublishedRulebook | undefined>;
  rulebookHistory(): Promise<RulebookSummary[]>;

  /** Enrolls new subjects with the base score; existing ids are left alone. Needs a rulebook. */
  enrollSubjects(
    subjects: readonly SubjectInput[],
    at: Instant,
    audit?: AuditLine<EnrollOutcome[]>,
  ): Promise<EnrollOutcome[]>;
  subject(id: string): Promise<Subject | undefined>;
  /** Subjects in internal id order, `limit` at a time after `afterInternalId`. */
  subjectsPage(afterInternalId: number, limit: number): Promise<Subject[]>;

  /** Adds a source, or refuses when the name is taken. */
  addSource(
    input: SourceInput,
    at: Instant,
    audit?: AuditLine<SourceProfile | { refused: string }>,
  ): Promise<SourceProfile | { refused: string }>;
  source(name: string): Promise<SourceProfile | undefined>;
  sources(): Promise<SourceProfile[]>;

  /**
   * Prices and records one batch from one source (at most `batchEventsMax` items) with the
   * current rulebook: events, entries, score and rating changes commit together or not at all.
   */
  ingestBatch(
    source: SourceProfile,
    items: readonly BatchItem[],
    receivedAt: Instant,
  ): Promise<Outcome[]>;

  /** A subject's entries, oldest first by id. */
  entries(subjectId: string): Promise<EntryRecord[]>;
  entry(entryId: number): Promise<EntryRecord | undefined>;
  /** Entries of many subjects at once (for verification and replays), keyed by internal id. */
  entriesOfSubjects(internalIds: readonly number[]): Promise<Map<number, EntryRecord[]>>;
  transitions(entryId: number): Promise<TransitionRecord[]>;
  storedScore(subjectId: string): Promise<StoredScore | undefined>;
  storedScores(internalIds: readonly number[]): Promise<Map<number, StoredScore>>;
  /**
   * The subject's score at `at`, equal to the core's `scoreAt` over its entries at any time
   * before or after the ledger clock, read from the stored score and the entries whose counting
   * changes in between (without reading the others): what a partner's lookup discloses.
   */
  scoreAt(subjectId: string, at: Instant): Promise<number | undefined>;
  ratingChanges(subjectId: string): Promise<RatingChangeRecord[]>;

  /** Appends a transition (review decision, appeal, reversal) and moves the score with it. */
  applyTransition(entryId: number, transition: TransitionInput): Promise<TransitionOutcome>;
  /** Applies expiries up to `now` to stored scores; returns how many entries expired. */
  advanceClock(now: Instant): Promise<number>;
  ledgerClock(): Promise<Instant>;

  counts(): Promise<LedgerCounts>;

  /**
   * The whole stored history in the order a replay reads it, in chunks of whole subjects (see
   * `HistoryChunk`): what the policy lab prices under a draft rulebook. Reads only, from one
   * snapshot where the adapter can; stopping early (leaving the loop) releases it.
   */
  history(query: HistoryQuery): AsyncIterable<HistoryChunk>;
}

/**
 * An admin action's line in the audit log, made from the action's result and written in the
 * action's own transaction, at the action's own time (the store stamps it): no action without
 * its line, no line without its action. It returns undefined for a refusal that changed nothing
 * and needs no line. A line the log refuses (no actor, say) fails the action, which then writes
 * nothing.
 */
export type AuditLine<Result> = (result: Result) => AuditAction | undefined;

export type HistoryQuery = Readonly<{
  /** `livePoints` are the points of the entries counting at this time. */
  at: Instant;
  /** Standings mark attributions with a confidence below this as `lowConfidence`. */
  confidenceMin: number;
  /** About this many events per chunk; a chunk still holds its subjects whole. */
  chunkEventsMax?: number;
}>;

export type RulebookPublication = Readonly<{
  text: string;
  rulebook: Rulebook;
  publishedAt: Instant;
  publishedBy: string;
}>;

export type PublishedRulebook = Readonly<{
  version: number;
  publishedAt: Instant;
  publishedBy: string;
  text: string;
  rulebook: Rulebook;
}>;

export type RulebookSummary = Readonly<{
  version: number;
  title: string;
  publishedAt: Instant;
  publishedBy: string;
}>;

export type SubjectInput = Readonly<{ id: string; region: string }>;
export type EnrollOutcome = "enrolled" | "already_enrolled";
export type Subject = Readonly<{
  internalId: number;
  id: string;
  region: string;
  enrolledAt: Instant;
}>;

export type SourceInput = Readonly<{
  name: string;
  kind: SourceKind;
  allowedTypes: readonly string[];
}>;

export type EntryRecord = Readonly<{
  id: number;
  subjectId: string;
  subjectInternalId: number;
  source: string;
  sourceKind: SourceKind;
  eventId: string;
  type: string;
  category: string;
  points: number;
  initialStatus: "effective" | "pending_review" | "capped";
  status: StoredStatus;
  occurredAt: Instant;
  recordedAt: Instant;
  effectiveAt: Instant;
  expiresAt: Instant;
  rulebookVersion: number;
  evidence: Evidence;
  confidence: number | undefined;
  region: string | undefined;
  attributes: Readonly<Record<string, string | number | boolean>> | undefined;
}>;

export type TransitionInput = Readonly<{
  kind: TransitionKind;
  actor: string;
  at: Instant;
  reason: string;
}>;

export type TransitionRecord = TransitionInput & Readonly<{ entryId: number }>;

export type TransitionOutcome = { ok: true; status: StoredStatus } | { ok: false; reason: string };

export type StoredScore = Readonly<{ score: number; rating: Rating; updatedAt: Instant }>;

export const ratingChangeCauses = [
  "enrollment",
  "ingest",
  "expiry",
  "transition",
  "rulebook",
] as const;
export type RatingChangeCause = (typeof ratingChangeCauses)[number];

/** The published rating log: when the stored rating moved, and why. */
export type RatingChangeRecord = Readonly<{
  at: Instant;
  from: Rating | undefined;
  to: Rating;
  score: number;
  cause: RatingChangeCause;
}>;

export type LedgerCounts = Readonly<{ subjects: number; sources: number; entries: number }>;
