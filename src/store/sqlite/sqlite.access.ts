import type Database from "better-sqlite3";
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
import { AccountBook } from "./sqlite.accounts.js";
import { AppealDesk } from "./sqlite.appeals.js";
import type { Checkpointer } from "./sqlite.checkpointer.js";
import { ConsentBook } from "./sqlite.consents.js";
import { CredentialRegistry } from "./sqlite.credentials.js";
import { GroupCommit } from "./sqlite.group-commit.js";
import type { HistoryLimits } from "./sqlite.history.js";
import { InquiryLog } from "./sqlite.inquiries.js";
import { SqliteLedgerStore } from "./sqlite.ledger.js";
import { PartnerRegistry } from "./sqlite.partners.js";
import { StatisticsReader } from "./sqlite.statistics.js";

/** The SQLite adapter: the ledger and, over the same connection, who may do what. */
export class SqliteStore extends SqliteLedgerStore implements AccessStore {
  private readonly credentialRegistry: CredentialRegistry;
  private readonly accounts: AccountBook;
  private readonly partnerRegistry: PartnerRegistry;
  private readonly consentBook: ConsentBook;
  private readonly inquiryLog: InquiryLog;
  /** Partner lookups come by the thousand a second, each with its inquiry: commit them together. */
  private readonly inquiryCommits: GroupCommit<InquiryInput, InquiryRecord>;
  private readonly appeals: AppealDesk;
  private readonly statisticsReader: StatisticsReader;
  private readonly readInquirySubject: Database.Transaction<
    (subjectId: string, at: Instant) => InquirySubject | undefined
  >;

  constructor(
    database: Database.Database,
    checkpointer: Checkpointer | undefined,
    history: HistoryLimits,
  ) {
    super(database, checkpointer, history);
    this.credentialRegistry = new CredentialRegistry(database, this.foreign);
    this.accounts = new AccountBook(database, this.subjects);
    this.partnerRegistry = new PartnerRegistry(database, this.foreign);
    this.consentBook = new ConsentBook(database, this.subjects);
    this.inquiryLog = new InquiryLog(database, this.subjects);
    this.inquiryCommits = new GroupCommit(
      (body) => this.write(body),
      (input) => this.inquiryLog.record(input),
    );
    this.appeals = new AppealDesk(database, this.subjects, this.transitionLog);
    this.statisticsReader = new StatisticsReader(database);
    this.readInquirySubject = database.transaction((subjectId: string, at: Instant) => {
      const subject = this.subjects.subject(subjectId);
      if (!subject) return undefined;
      const score = this.scores.scoreAt(subject.internalId, at);
      if (score === undefined) throw new Error(`subject '${subjectId}' has no stored score`);
      return { subject, consents: this.consentBook.consents(subjectId), score };
    });
  }

  override async close(): Promise<void> {
    // Inquiries submitted but not yet committed are stored before the connection closes.
    if (this.database.open) this.inquiryCommits.flush();
    await super.close();
  }

  /** An entry under an open appeal is settled only by the appeal's decision. */
  override async applyTransition(
    entryId: number,
    transition: TransitionInput,
  ): Promise<TransitionOutcome> {
    return this.write((): TransitionOutcome => {
      const open = this.appeals.openAppealOf(entryId);
      if (open) {
        const reason = `entry ${entryId} is under appeal ${open.id}: decide the appeal instead`;
        return { ok: false, reason };
      }
      return this.transitionLog.append(entryId, transition);
    });
  }

  async createCredential(
    input: CredentialInput,
    audit?: AuditLine<CredentialRecord>,
  ): Promise<CredentialRecord> {
    return this.audited(audit, input.createdAt, () => this.credentialRegistry.create(input));
  }

  async credential(keyId: string): Promise<CredentialRecord | undefined> {
    return this.credentialRegistry.credential(keyId);
  }

  async credentials(): Promise<CredentialRecord[]> {
    return this.credentialRegistry.credentials();
  }

  async revokeCredential(keyId: string, at: Instant, audit?: AuditLine<boolean>): Promise<boolean> {
    return this.audited(audit, at, () => this.credentialRegistry.revokeAt(keyId, at));
  }

  async setActivationCode(subjectId: string, codeHash: string, expiresAt: Instant): Promise<void> {
    this.write(() => this.accounts.setActivationCode(subjectId, codeHash, expiresAt));
  }

  async account(subjectId: string): Promise<AccountRecord | undefined> {
    return this.accounts.account(subjectId);
  }

  async activateAccount(
    subjectId: string,
    passphraseHash: string,
    at: Instant,
  ): Promise<AccountRecord | { refused: string }> {
    return this.write(() => this.accounts.activate(subjectId, passphraseHash, at));
  }

  async addPartner(
    input: PartnerInput,
    at: Instant,
    audit?: AuditLine<PartnerRecord | { refused: string }>,
  ): Promise<PartnerRecord | { refused: string }> {
    return this.audited(audit, at, () => this.partnerRegistry.add(input, at));
  }

  async partner(name: string): Promise<PartnerRecord | undefined> {
    return this.partnerRegistry.partner(name);
  }

  async partners(): Promise<PartnerRecord[]> {
    return this.partnerRegistry.partners();
  }

  async grantConsent(subjectId: string, input: ConsentInput, at: Instant): Promise<ConsentRecord> {
    return this.write(() => this.consentBook.grant(subjectId, input, at));
  }

  async revokeConsent(subjectId: string, consentId: number, at: Instant): Promise<boolean> {
    return this.write(() => this.consentBook.revokeAt(subjectId, consentId, at));
  }

  async consents(subjectId: string): Promise<ConsentRecord[]> {
    return this.consentBook.consents(subjectId);
  }

  /** One read transaction: one snapshot, and one lock of the file for its three reads. */
  async inquirySubject(subjectId: string, at: Instant): Promise<InquirySubject | undefined> {
    return this.readInquirySubject.deferred(subjectId, at);
  }

  async recordInquiry(input: InquiryInput): Promise<InquiryRecord> {
    return this.inquiryCommits.submit(input);
  }

  async inquiries(subjectId: string, page: InquiryPageRequest): Promise<InquiryPage> {
    return this.inquiryLog.inquiries(subjectId, page);
  }

  async openAppeal(input: AppealInput): Promise<AppealRecord | { refused: string }> {
    return this.write(() => this.appeals.open(input));
  }

  async decideAppeal(
    appealId: number,
    decision: AppealDecisionInput,
  ): Promise<AppealRecord | { refused: string }> {
    return this.write(() => this.appeals.decide(appealId, decision));
  }

  async appeal(appealId: number): Promise<AppealRecord | undefined> {
    return this.appeals.appeal(appealId);
  }

  async openAppeals(limit: number): Promise<AppealRecord[]> {
    return this.appeals.openAppeals(limit);
  }

  async appealsOf(subjectId: string): Promise<AppealRecord[]> {
    return this.appeals.appealsOf(subjectId);
  }

  async decideOverdueAppeals(now: Instant): Promise<AppealRecord[]> {
    // Called on a schedule: take the write lock only when there is something to decide.
    if (!this.appeals.hasOverdue(now)) return [];
    return this.write(() => this.appeals.decideOverdue(now));
  }

  async pendingReviews(limit: number): Promise<EntryRecord[]> {
    return this.reader.pendingReviews(limit);
  }

  async appendAudit(input: AuditInput): Promise<void> {
    this.write(() => this.auditTrail.append(input));
  }

  async auditLog(limit: number): Promise<AuditRecord[]> {
    return this.auditTrail.newest(limit);
  }

  async statistics(at: Instant, options?: StatisticsOptions): Promise<Statistics> {
    // Take the write lock only to move the clock; `advance` refuses a time that is not finite.
    if (!Number.isFinite(at) || at > this.clock.read()) this.write(() => this.advance(at));
    // One snapshot for the three whole-table reads, without holding the write lock.
    const overTime = options?.overTime ?? true;
    return this.database.transaction(() => this.statisticsReader.read(at, overTime)).deferred();
  }
}
