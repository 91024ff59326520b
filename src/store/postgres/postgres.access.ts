import type pg from "pg";
import type { Instant } from "../../core/time.js";
import type {
  AccessStore,
  AccountRecord,
  AppealDecisionInput,
  AppealInput,
  AppealRecord,
  AuditInput,
  AuditRecord,
  ConsentInput,
  ConsentRecord,
  CredentialInput,
  CredentialRecord,
  InquiryInput,
  InquiryPage,
  InquiryPageRequest,
  InquiryRecord,
  InquirySubject,
  PartnerInput,
  PartnerRecord,
  Statistics,
  StatisticsOptions,
} from "../access.store.js";
import type { AuditLine, EntryRecord, TransitionInput, TransitionOutcome } from "../store.js";
import { AccountBook } from "./postgres.accounts.js";
import { AppealDesk } from "./postgres.appeals.js";
import { readClock } from "./postgres.clock.js";
import { inTransaction, row } from "./postgres.connection.js";
import {
  ConsentBook,
  type ConsentRow,
  consentColumns,
  consentOrder,
  toConsentRecord,
} from "./postgres.consents.js";
import { CredentialRegistry } from "./postgres.credentials.js";
import type { HistoryLimits } from "./postgres.history.js";
import { InquiryLog } from "./postgres.inquiries.js";
import { type CloseHook, PostgresLedgerStore } from "./postgres.ledger.js";
import { PartnerRegistry } from "./postgres.partners.js";
import { scoreAtSql } from "./postgres.scores.js";
import { StatisticsReader } from "./postgres.statistics.js";
import { type SubjectRow, toSubject } from "./postgres.subjects.js";

/**
 * The PostgreSQL adapter: the ledger and, over the same pool, who may do what. What changes
 * the ledger (appeals and their decisions, transitions, the clock) takes the ledger lock; the
 * rest (keys, accounts, partners, consents, inquiries, the audit log) writes one row in one
 * statement whose keys and conditions make it atomic, so busy reads of partners never queue
 * behind a batch.
 */
export class PostgresStore extends PostgresLedgerStore implements AccessStore {
  private readonly credentialRegistry = new CredentialRegistry();
  private readonly accounts = new AccountBook(this.subjects);
  private readonly partnerRegistry = new PartnerRegistry();
  private readonly consentBook = new ConsentBook(this.subjects);
  private readonly inquiryLog = new InquiryLog(this.subjects);
  private readonly appeals = new AppealDesk(this.subjects, this.transitionLog);
  private readonly statisticsReader = new StatisticsReader();

  constructor(pool: pg.Pool, history: HistoryLimits, onClose: CloseHook | undefined) {
    super(pool, history, onClose);
  }

  /** An entry under an open appeal is settled only by the appeal's decision. */
  override async applyTransition(
    entryId: number,
    transition: TransitionInput,
  ): Promise<TransitionOutcome> {
    return this.write(async (write): Promise<TransitionOutcome> => {
      const open = await this.appeals.openAppealOf(write.sql, entryId);
      if (open) {
        const reason = `entry ${entryId} is under appeal ${open.id}: decide the appeal instead`;
        return { ok: false, reason };
      }
      return this.transitionLog.append(write, entryId, transition);
    });
  }

  async createCredential(
    input: CredentialInput,
    audit?: AuditLine<CredentialRecord>,
  ): Promise<CredentialRecord> {
    if (!audit) return this.credentialRegistry.create(this.pool, input);
    return inTransaction(this.pool, async (sql) =>
      this.audited(sql, await this.credentialRegistry.create(sql, input), audit, input.createdAt),
    );
  }

  async credential(keyId: string): Promise<CredentialRecord | undefined> {
    return this.credentialRegistry.credential(this.pool, keyId);
  }

  async credentials(): Promise<CredentialRecord[]> {
    return this.credentialRegistry.credentials(this.pool);
  }

  async revokeCredential(keyId: string, at: Instant, audit?: AuditLine<boolean>): Promise<boolean> {
    if (!audit) return this.credentialRegistry.revokeAt(this.pool, keyId, at);
    return inTransaction(this.pool, async (sql) =>
      this.audited(sql, await this.credentialRegistry.revokeAt(sql, keyId, at), audit, at),
    );
  }

  async setActivationCode(subjectId: string, codeHash: string, expiresAt: Instant): Promise<void> {
    await this.accounts.setActivationCode(this.pool, subjectId, codeHash, expiresAt);
  }

  async account(subjectId: string): Promise<AccountRecord | undefined> {
    return this.accounts.account(this.pool, subjectId);
  }

  async activateAccount(
    subjectId: string,
    passphraseHash: string,
    at: Instant,
  ): Promise<AccountRecord | { refused: string }> {
    return this.accounts.activate(this.pool, subjectId, passphraseHash, at);
  }

  async addPartner(
    input: PartnerInput,
    at: Instant,
    audit?: AuditLine<PartnerRecord | { refused: string }>,
  ): Promise<PartnerRecord | { refused: string }> {
    if (!audit) return this.partnerRegistry.add(this.pool, input, at);
    return inTransaction(this.pool, async (sql) =>
      this.audited(sql, await this.partnerRegistry.add(sql, input, at), audit, at),
    );
  }

  async partner(name: string): Promise<PartnerRecord | undefined> {
    return this.partnerRegistry.partner(this.pool, name);
  }

  async partners(): Promise<PartnerRecord[]> {
    return this.partnerRegistry.partners(this.pool);
  }

  async grantConsent(subjectId: string, input: ConsentInput, at: Instant): Promise<ConsentRecord> {
    return inTransaction(this.pool, (sql) => this.consentBook.grant(sql, subjectId, input, at));
  }

  async revokeConsent(subjectId: string, consentId: number, at: Instant): Promise<boolean> {
    return this.consentBook.revokeAt(this.pool, subjectId, consentId, at);
  }

  async consents(subjectId: string): Promise<ConsentRecord[]> {
    return this.consentBook.consents(this.pool, subjectId);
  }

  /**
   * One statement, so one snapshot, after the subject's internal id (usually cached): the
   * subject, its score and its consents, all keyed by the subject, so that a sharded database
   * routes it to the subject's shard.
   */
  async inquirySubject(subjectId: string, at: Instant): Promise<InquirySubject | undefined> {
    const internalId = await this.internalId(subjectId);
    if (internalId === undefined) return undefined;
    const found = await row<SubjectRow & { score: number | null; consents: ConsentRow[] }>(
      this.pool,
      `SELECT subject.subject_id, subject.external_id, subject.region, subject.enrolled_at,
         ${scoreAtSql("subject.subject_id", "$2::bigint")} AS score,
         coalesce((
           SELECT json_agg(consent ${consentOrder}) FROM (
             SELECT ${consentColumns} FROM consents
             WHERE consents.subject_id = subject.subject_id) AS consent
         ), '[]'::json) AS consents
       FROM subjects subject WHERE subject.subject_id = $1`,
      [internalId, at],
    );
    if (!found) return undefined;
    if (found.score === null) throw new Error(`subject '${subjectId}' has no stored score`);
    return {
      subject: toSubject(found),
      consents: found.consents.map(toConsentRecord),
      score: found.score,
    };
  }

  async recordInquiry(input: InquiryInput): Promise<InquiryRecord> {
    return this.inquiryLog.record(this.pool, input);
  }

  async inquiries(subjectId: string, page: InquiryPageRequest): Promise<InquiryPage> {
    return this.inquiryLog.inquiries(this.pool, subjectId, page);
  }

  async openAppeal(input: AppealInput): Promise<AppealRecord | { refused: string }> {
    return this.write((write) => this.appeals.open(write, input));
  }

  async decideAppeal(
    appealId: number,
    decision: AppealDecisionInput,
  ): Promise<AppealRecord | { refused: string }> {
    return this.write((write) => this.appeals.decide(write, appealId, decision));
  }

  async appeal(appealId: number): Promise<AppealRecord | undefined> {
    return this.appeals.appeal(this.pool, appealId);
  }

  async openAppeals(limit: number): Promise<AppealRecord[]> {
    return this.appeals.openAppeals(this.pool, limit);
  }

  async appealsOf(subjectId: string): Promise<AppealRecord[]> {
    return this.appeals.appealsOf(this.pool, subjectId);
  }

  async decideOverdueAppeals(now: Instant): Promise<AppealRecord[]> {
    // Called on a schedule: take the ledger lock only when there is something to decide.
    if (!(await this.appeals.hasOverdue(this.pool, now))) return [];
    return this.write((write) => this.appeals.decideOverdue(write, now));
  }

  async pendingReviews(limit: number): Promise<EntryRecord[]> {
    return this.reader.pendingReviews(this.pool, limit);
  }

  async appendAudit(input: AuditInput): Promise<void> {
    await this.audit.append(this.pool, input);
  }

  async auditLog(limit: number): Promise<AuditRecord[]> {
    return this.audit.newest(this.pool, limit);
  }

  async statistics(at: Instant, options?: StatisticsOptions): Promise<Statistics> {
    // Take the ledger lock only to move the clock; `advance` refuses a time that is not finite.
    if (!Number.isFinite(at) || at > (await readClock(this.pool))) {
      await this.write((write) => this.advance(write, at));
    }
    // One snapshot for the three whole-table reads, without the ledger lock.
    const overTime = options?.overTime ?? true;
    return inTransaction(this.pool, (sql) => this.statisticsReader.read(sql, at, overTime), {
      snapshot: true,
    });
  }
}
