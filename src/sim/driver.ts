import type { OutcomeKind } from "../core/outcome.js";
import type { Rating } from "../core/rating.js";
import type { Instant } from "../core/time.js";
import type { Delivery } from "./delivery.js";
import type { Question, SimPartner } from "./partners.js";
import type { SimSource } from "./sources.js";

/**
 * The system under simulation, as the city's actors reach it: in this process through the
 * services (`driver.process.ts`), or over HTTP through the API with keys (`driver.http.ts`).
 * Every method passes the simulated time; over HTTP the server keeps its own clock, and the
 * answers carry the times the system recorded.
 */
export interface CityDriver {
  readonly mode: "in-process" | "http";
  /** The rulebook in force, as published: the auditor reads its figures from the text. */
  rulebookText(): Promise<string>;
  setUp(city: CitySetup): Promise<void>;
  /** One source's reports; one answer per event, in order. */
  ingest(source: string, events: readonly object[], at: Instant): Promise<IngestAnswer[]>;
  /**
   * The day's deliveries through an ingesting process that crashes part way through and is
   * restarted, sending everything again: the answers are those of the restarted run.
   */
  ingestThroughCrash(deliveries: readonly Delivery[], at: Instant): Promise<CrashAnswer>;
  /**
   * Decides for the subjects the appeals past their deadline; how many, or undefined when the
   * system does it on its own schedule (a server).
   */
  settleOverdueAppeals(at: Instant): Promise<number | undefined>;
  pendingReviews(limit: number, at: Instant): Promise<QueueItem[]>;
  review(entryId: number, decision: ReviewDecision, at: Instant): Promise<TransitionAnswer>;
  openAppeals(limit: number, at: Instant): Promise<AppealItem[]>;
  decideAppeal(appealId: number, decision: AppealDecision, at: Instant): Promise<TransitionAnswer>;
  appeal(subjectId: string, entryId: number, statement: string, at: Instant): Promise<AppealAnswer>;
  grantConsent(
    subjectId: string,
    grant: Readonly<{ partner: string; purpose: Question["purpose"]; days: number }>,
    at: Instant,
  ): Promise<ConsentAnswer>;
  revokeConsent(subjectId: string, consentId: number, at: Instant): Promise<RevokeAnswer>;
  inquire(question: Question, subjectId: string, at: Instant): Promise<InquiryAnswer>;
  /** Subjects per region and stored rating, as the system's statistics give them, and when. */
  ratingsByRegion(at: Instant): Promise<Readonly<{ at: Instant; rows: RegionRatings }>>;
  /** The system's score of every subject at the end (and their entries, if asked and able). */
  finalScores(
    subjectIds: readonly string[],
    at: Instant,
    options: Readonly<{ entries: boolean }>,
  ): AsyncIterable<SystemScore>;
}

export type CitySetup = Readonly<{
  sources: readonly SimSource[];
  partners: readonly SimPartner[];
  subjects: readonly Readonly<{ id: string; region: string }>[];
  at: Instant;
  reviewer: string;
}>;

export type IngestAnswer = Readonly<{
  kind: OutcomeKind;
  entryId?: number;
  points?: number;
  status?: "effective" | "pending_review" | "capped";
}>;

export type CrashAnswer = Readonly<{
  /** Answers the crashed run gave before it died (its last commits may be unreported). */
  beforeCrash: number;
  /** The restarted run's answers, one per report of every delivery, in delivery order. */
  answers: IngestAnswer[];
}>;

export type QueueItem = Readonly<{ entryId: number; subjectId: string; eventId: string }>;
export type AppealItem = QueueItem & Readonly<{ appealId: number; deadlineAt: Instant }>;

export type ReviewDecision = Readonly<{ confirm: boolean; reason: string }>;
export type AppealDecision = Readonly<{ outcome: "upheld" | "reversed"; reason: string }>;

export type TransitionAnswer =
  | Readonly<{ ok: true; at: Instant }>
  | Readonly<{ ok: false; at: Instant; reason: string }>;

export type AppealAnswer =
  | Readonly<{ ok: true; appealId: number; openedAt: Instant; deadlineAt: Instant }>
  | Readonly<{ ok: false; at: Instant; reason: string }>;

export type ConsentAnswer =
  | Readonly<{ ok: true; consentId: number; grantedAt: Instant; until: Instant }>
  | Readonly<{ ok: false; reason: string }>;

export type RevokeAnswer = Readonly<{ ok: boolean; at: Instant }>;

export type InquiryAnswer = Readonly<{
  allowed: boolean;
  /** When the system decided, as it recorded the inquiry. */
  at: Instant;
  refusal?: string;
  rating?: Rating;
  score?: number;
  eligible?: boolean;
}>;

export type RegionRatings = ReadonlyArray<
  Readonly<{ region: string; rating: Rating; subjects: number }>
>;

export type SystemScore = Readonly<{
  subjectId: string;
  score: number | undefined;
  rating: Rating | undefined;
  /** The system computed the score at some instant in [from, to]. */
  from: Instant;
  to: Instant;
  /** The subject's entries, when the driver can read them (in process). */
  entries?: readonly SystemEntry[];
}>;

export type SystemEntry = Readonly<{
  id: number;
  eventId: string;
  points: number;
  status: string;
  effectiveAt: Instant;
  expiresAt: Instant;
}>;
