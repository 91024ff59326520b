import type { AppealOutcome } from "../core/appeal.js";
import type { Consent } from "../core/consent.js";
import type { Disclosure, PartnerKind, Purpose } from "../core/purpose.js";
import type { Instant } from "../core/time.js";
import type { AuditLine, EntryRecord, Subject } from "./store.js";

/**
 * Storage for who may do what: credentials, citizen accounts, partners, consents, inquiries,
 * appeals, the admin audit log and statistics. Implemented by every adapter beside
 * `LedgerStore`, checked by the same contract suite. Writes are atomic.
 */
export interface AccessStore {
  /** Key ids are random: a taken one is a programmer error and throws. */
  createCredential(
    input: CredentialInput,
    audit?: AuditLine<CredentialRecord>,
  ): Promise<CredentialRecord>;
  /** The credential whose public key id is `keyId` (the part of a key before the secret). */
  credential(keyId: string): Promise<CredentialRecord | undefined>;
  credentials(): Promise<CredentialRecord[]>;
  /** Sets `revokedAt` once; false when the key is unknown or already revoked. */
  revokeCredential(keyId: string, at: Instant, audit?: AuditLine<boolean>): Promise<boolean>;

  /** Stores the hash of a one-time activation code for a subject, replacing any earlier one. */
  setActivationCode(subjectId: string, codeHash: string, expiresAt: Instant): Promise<void>;
  account(subjectId: string): Promise<AccountRecord | undefined>;
  /**
   * Sets the passphrase hash and spends the activation code, in one transaction. Refused, with
   * nothing written, unless the subject has an unspent code expiring after `at`: of two
   * activations racing with one code, one wins.
   */
  activateAccount(
    subjectId: string,
    passphraseHash: string,
    at: Instant,
  ): Promise<AccountRecord | { refused: string }>;

  addPartner(
    input: PartnerInput,
    at: Instant,
    audit?: AuditLine<PartnerRecord | { refused: string }>,
  ): Promise<PartnerRecord | { refused: string }>;
  partner(name: string): Promise<PartnerRecord | undefined>;
  partners(): Promise<PartnerRecord[]>;

  grantConsent(subjectId: string, input: ConsentInput, at: Instant): Promise<ConsentRecord>;
  /** Revokes one of the subject's consents; false when it is not theirs or already revoked. */
  revokeConsent(subjectId: string, consentId: number, at: Instant): Promise<boolean>;
  /** Newest first, revoked ones included. */
  consents(subjectId: string): Promise<ConsentRecord[]>;

  /**
   * What deciding a partner's question about a subject needs, read together (in one snapshot
   * where the adapter can): the subject, their consents and their score at `at` (`scoreAt`).
   * Undefined for an unknown subject.
   */
  inquirySubject(subjectId: string, at: Instant): Promise<InquirySubject | undefined>;
  recordInquiry(input: InquiryInput): Promise<InquiryRecord>;
  /**
   * One page of the subject's inquiries, newest first (by time, then by id, larger first): at
   * most `limit` (at most 1,000) of those that come after `after` in that order, or from the
   * newest without it. `next` is the `after` of the following page, undefined on the last one.
   * A position holds while inquiries are written: a page never repeats or skips one that was
   * there when the first page was read. An unknown subject has none.
   */
  inquiries(subjectId: string, page: InquiryPageRequest): Promise<InquiryPage>;

  /**
   * Opens an appeal and appends the `appealed` transition in one transaction; the entry stops
   * counting. Refused, with nothing written: an entry that is not the subject's, an entry
   * appealed before (once per entry, ever), an entry that cannot be appealed, an empty statement.
   */
  openAppeal(input: AppealInput): Promise<AppealRecord | { refused: string }>;
  /**
   * Decides an appeal and appends the `upheld` or `reversed` transition (actor `decidedBy`) in
   * one transaction. Refused: an unknown or decided appeal, no reason, no decider, a decision
   * before the appeal or after its deadline. While an appeal is open, `applyTransition` refuses
   * any other transition of its entry.
   */
  decideAppeal(
    appealId: number,
    decision: AppealDecisionInput,
  ): Promise<AppealRecord | { refused: string }>;
  appeal(appealId: number): Promise<AppealRecord | undefined>;
  /** Open appeals, earliest deadline first; `limit` is at most 1,000. */
  openAppeals(limit: number): Promise<AppealRecord[]>;
  /** Newest first. */
  appealsOf(subjectId: string): Promise<AppealRecord[]>;
  /**
   * Decides for the subject (`reversed`, by `overdueDecider`, at the deadline) the appeals open
   * at or past their deadline, earliest first, at most 1,000 per call; returns those decided.
   */
  decideOverdueAppeals(now: Instant): Promise<AppealRecord[]>;

  /** Entries waiting for a human reviewer, oldest first; `limit` is at most 1,000. */
  pendingReviews(limit: number): Promise<EntryRecord[]>;

  /** A line on its own: an action that changed nothing stored (a refused publication, say). */
  appendAudit(input: AuditInput): Promise<void>;
  /** Newest first; `limit` is at most 1,000. */
  auditLog(limit: number): Promise<AuditRecord[]>;

  /**
   * Advances the ledger clock to `at` (never back), then reads: subjects per region and stored
   * rating; per type, the entries recorded by `at` and the points of those that count at `at`;
   * per source, the entries recorded, their appeals opened and those reversed, by `at`; and the
   * distribution over time (`ratingsOverTime`), which reads the whole rating log: a caller that
   * needs only the distribution now (the simulator, every simulated day) passes
   * `{ overTime: false }` and gets an empty series.
   */
  statistics(at: Instant, options?: StatisticsOptions): Promise<Statistics>;
}

export const roles = ["source", "partner", "reviewer", "admin"] as const;
export type CredentialRole = (typeof roles)[number];

export type CredentialInput = Readonly<{
  keyId: string;
  secretHash: string;
  role: CredentialRole;
  /** The source, partner, reviewer or admin the key belongs to. */
  principal: string;
  createdAt: Instant;
  createdBy: string;
}>;

export type CredentialRecord = CredentialInput & Readonly<{ revokedAt: Instant | undefined }>;

export type AccountRecord = Readonly<{
  subjectId: string;
  activationCodeHash: string | undefined;
  activationExpiresAt: Instant | undefined;
  passphraseHash: string | undefined;
  activatedAt: Instant | undefined;
}>;

export type PartnerInput = Readonly<{
  name: string;
  kind: PartnerKind;
  purposes: readonly Purpose[];
}>;
export type PartnerRecord = PartnerInput & Readonly<{ createdAt: Instant }>;

export type ConsentInput = Readonly<{ partner: string; purpose: Purpose; until: Instant }>;
export type ConsentRecord = Consent & Readonly<{ id: number }>;

export type InquiryInput = Readonly<{
  subjectId: string;
  partner: string;
  purpose: Purpose;
  disclosure: Disclosure;
  allowed: boolean;
  /** The refusal's name, when refused. */
  refusal: string | undefined;
  /** What was disclosed, e.g. `{ rating: "AA" }`; empty when refused. */
  disclosed: Readonly<Record<string, string | number | boolean>>;
  at: Instant;
}>;
export type InquiryRecord = InquiryInput & Readonly<{ id: number }>;

/** Where an inquiry stands in its subject's log, newest first: its time, then its id. */
export type InquiryPosition = Readonly<{ at: Instant; id: number }>;
export type InquiryPageRequest = Readonly<{ after?: InquiryPosition | undefined; limit: number }>;
export type InquiryPage = Readonly<{
  inquiries: InquiryRecord[];
  /** The last inquiry's position when more follow it. */
  next: InquiryPosition | undefined;
}>;

export type AppealInput = Readonly<{
  entryId: number;
  subjectId: string;
  statement: string;
  evidenceUrl: string | undefined;
  at: Instant;
}>;

export type AppealDecisionInput = Readonly<{
  outcome: AppealOutcome;
  decidedBy: string;
  reason: string;
  at: Instant;
}>;

export type AppealRecord = Readonly<{
  id: number;
  entryId: number;
  subjectId: string;
  statement: string;
  evidenceUrl: string | undefined;
  openedAt: Instant;
  deadlineAt: Instant;
  outcome: AppealOutcome | undefined;
  decidedBy: string | undefined;
  decidedAt: Instant | undefined;
  reason: string | undefined;
}>;

export type AuditInput = Readonly<{
  actor: string;
  action: string;
  target: string;
  at: Instant;
  details: Readonly<Record<string, unknown>>;
}>;
export type AuditRecord = AuditInput & Readonly<{ id: number }>;
/** An action's audit line before the store stamps it with the action's own time. */
export type AuditAction = Omit<AuditInput, "at">;

/** "1 subject", "3 subjects": an audit target that counts what an action touched. */
export function countedTarget(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The rating distribution over time is sampled this many days apart, back from `at`... */
export const ratingsOverTimeStepDays = 7;
/** ...at most this many times: a year of weeks, and `at` itself. */
export const ratingsOverTimePointsMax = 53;

export type StatisticsOptions = Readonly<{ overTime: boolean }>;

export type Statistics = Readonly<{
  ratingsByRegion: ReadonlyArray<Readonly<{ region: string; rating: string; subjects: number }>>;
  /**
   * The same distribution over time, from the rating log. `points` are the sample times, oldest
   * first, `ratingsOverTimeStepDays` apart, the last one `at`: `ratingsOverTimePointsMax` of
   * them, or, in a younger ledger, from the last point when nobody was enrolled yet.
   * Each series holds, for one region and rating, how many subjects had that rating at each
   * point; a subject counts from its enrollment. A pair that is zero at every point is left out.
   */
  ratingsOverTime: Readonly<{
    points: readonly Instant[];
    series: ReadonlyArray<
      Readonly<{ region: string; rating: string; subjects: readonly number[] }>
    >;
  }>;
  entriesByType: ReadonlyArray<Readonly<{ type: string; entries: number; points: number }>>;
  appealsBySource: ReadonlyArray<
    Readonly<{ source: string; entries: number; appeals: number; reversed: number }>
  >;
}>;

export type InquirySubject = Readonly<{
  subject: Subject;
  /** Newest first, revoked ones included, as `consents` answers. */
  consents: ConsentRecord[];
  score: number;
}>;
