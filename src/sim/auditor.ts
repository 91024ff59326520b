import type { Rating } from "../core/rating.js";
import type { Instant } from "../core/time.js";
import { type Difference, DifferenceLog } from "./audit.differences.js";
import { EntryIds } from "./audit.entry-ids.js";
import { compareFinal } from "./audit.final.js";
import { expectedRatingsByRegion, ratingsDifference } from "./audit.statistics.js";
import type { Report } from "./conduct.js";
import type { Delivery } from "./delivery.js";
import type {
  AppealAnswer,
  ConsentAnswer,
  CrashAnswer,
  IngestAnswer,
  InquiryAnswer,
  RegionRatings,
  RevokeAnswer,
  SystemScore,
  TransitionAnswer,
} from "./driver.js";
import type { Question } from "./partners.js";
import { ReferenceAccess, type ReferencePartner } from "./reference.access.js";
import { type Predicted, ReferenceLedger, type ReferenceSource } from "./reference.ledger.js";
import { readReferenceRulebook } from "./reference.rulebook.js";

export type AuditorOptions = Readonly<{
  rulebookText: string;
  subjectIds: readonly string[];
  indexOf: (subjectId: string) => number | undefined;
  regionOf: (subject: number) => string;
  sources: readonly ReferenceSource[];
  partners: readonly ReferencePartner[];
  enrolledAt: Instant;
}>;

export type AuditSummary = Readonly<{
  ok: boolean;
  subjectsChecked: number;
  entriesChecked: number;
  answersChecked: number;
  differenceCount: number;
  differences: readonly Difference[];
  firstDifferingSubject: string | undefined;
}>;

/**
 * The independent auditor: follows the simulator's record of what it sent and what reviewers,
 * appeals and subjects did, keeps its own reference ledger, checks every answer the system gave
 * on the way, and at the end compares every subject's score, rating and entries.
 */
export class Auditor {
  readonly differences = new DifferenceLog();
  readonly ledger: ReferenceLedger;
  private readonly access: ReferenceAccess;
  private readonly sources: ReadonlyMap<string, ReferenceSource>;
  private readonly partners: ReadonlyMap<string, ReferencePartner>;
  private readonly entryIds = new EntryIds();
  private answersChecked = 0;
  private syntheticAppealId = -1;

  constructor(private readonly options: AuditorOptions) {
    this.ledger = new ReferenceLedger(
      readReferenceRulebook(options.rulebookText),
      options.subjectIds.length,
    );
    this.access = new ReferenceAccess(this.ledger, () => options.enrolledAt);
    this.sources = new Map(options.sources.map((source) => [source.name, source]));
    this.partners = new Map(options.partners.map((partner) => [partner.name, partner]));
  }

  /** The model's entry for a system entry id, if the model knows it. */
  entryOf(systemEntryId: number): number | undefined {
    return this.entryIds.entryOf(systemEntryId);
  }

  ingested(
    source: string,
    reports: readonly Report[],
    receivedAt: Instant,
    answers: readonly IngestAnswer[],
  ) {
    if (answers.length !== reports.length) {
      this.differ(
        "ingest",
        undefined,
        `${source}: ${answers.length} answers to ${reports.length} reports`,
      );
      return;
    }
    reports.forEach((report, index) => {
      this.checkIngest(source, report, receivedAt, answers[index] as IngestAnswer);
    });
  }

  /**
   * A crashed and restarted ingestion: the restarted run answers "duplicate" for what the crashed
   * run committed. Those reports form a prefix of the deliveries (batches commit whole, in
   * order), which the model ingests first, as the crashed run did; then it checks the restart.
   * Returns how many reports the crashed run committed, and the answers as the reports' senders
   * see them in the end: what the crashed run accepted counts as accepted, whatever the moment
   * of the kill, so that the simulation carries on the same way.
   */
  ingestedThroughCrash(
    deliveries: readonly Delivery[],
    receivedAt: Instant,
    crash: CrashAnswer,
  ): { committed: number; answers: IngestAnswer[] } {
    const items = deliveries.flatMap(({ source, reports }) =>
      reports.map((report) => ({ source, report })),
    );
    if (crash.answers.length !== items.length) {
      this.differ(
        "ingest",
        undefined,
        `crash: ${crash.answers.length} answers to ${items.length} reports`,
      );
      return { committed: 0, answers: crash.answers };
    }
    const prefix = this.crashedPrefix(items, crash.answers);
    const answers = [...crash.answers];
    let committed = 0;
    items.slice(0, prefix).forEach(({ source, report }, index) => {
      const predicted = this.ledger.ingest(
        this.source(source),
        this.referenceReport(report),
        receivedAt,
      );
      if (predicted.kind !== "accepted") return;
      committed++;
      const { entryId } = crash.answers[index] as IngestAnswer;
      answers[index] = {
        kind: "accepted",
        entryId,
        points: predicted.points,
        status: predicted.status,
      };
    });
    items.forEach(({ source, report }, index) => {
      this.checkIngest(source, report, receivedAt, crash.answers[index] as IngestAnswer);
    });
    return { committed, answers };
  }

  /** How many reports, from the first, the crashed run had committed. */
  private crashedPrefix(
    items: readonly Readonly<{ source: string; report: Report }>[],
    answers: readonly IngestAnswer[],
  ): number {
    const seen = new Set<string>();
    let prefix = 0;
    items.forEach(({ source, report }, index) => {
      const key = `${source}\u0000${report.seq}`;
      const first = !seen.has(key);
      seen.add(key);
      const storedBefore = this.ledger.isStored(source, report.seq);
      if (first && answers[index]?.kind === "duplicate" && !storedBefore) prefix = index + 1;
    });
    return prefix;
  }

  /** Appeals past their deadline were decided for the subjects at `at`. */
  settled(at: Instant, systemSettled: number | undefined): void {
    const settled = this.ledger.settleOverdue(at);
    if (systemSettled !== undefined && systemSettled !== settled) {
      this.differ(
        "overdue",
        undefined,
        `at ${iso(at)} the system decided ${systemSettled} overdue appeals, the model ${settled}`,
      );
    }
  }

  reviewed(systemEntryId: number, confirm: boolean, answer: TransitionAnswer): void {
    const entry = this.known(systemEntryId, "review");
    if (entry === undefined) return;
    const expected = this.ledger.review(entry, confirm);
    this.agree(
      "review",
      entry,
      expected,
      answer,
      `${confirm ? "confirm" : "reject"} entry ${systemEntryId}`,
    );
  }

  appealed(subjectId: string, systemEntryId: number, answer: AppealAnswer): void {
    const entry = this.known(systemEntryId, "appeal");
    if (entry === undefined) return;
    const appealId = answer.ok ? answer.appealId : this.syntheticAppealId--;
    const at = answer.ok ? answer.openedAt : answer.at;
    const subject = this.options.indexOf(subjectId) ?? -1;
    const expected = this.ledger.appeal(entry, subject, appealId, at);
    this.agree("appeal", entry, expected, answer, `appeal of entry ${systemEntryId}`);
    if (answer.ok && expected && this.ledger.deadlineOf(appealId) !== answer.deadlineAt) {
      this.differ(
        "appeal",
        subjectId,
        `appeal ${appealId}: deadline ${iso(answer.deadlineAt)}, the model ${iso(this.ledger.deadlineOf(appealId) ?? 0)}`,
      );
    }
  }

  /** A reviewer's decision; the system first decides overdue appeals, and so does the model. */
  appealDecided(appealId: number, outcome: "upheld" | "reversed", answer: TransitionAnswer): void {
    this.ledger.settleOverdue(answer.at);
    const expected = this.ledger.decideAppeal(appealId, outcome, answer.at);
    this.answersChecked++;
    if (expected !== answer.ok) {
      const said = answer.ok ? "decided it" : `refused: ${answer.reason}`;
      this.differ(
        "decision",
        undefined,
        `${outcome} appeal ${appealId}: the system ${said}; the model ${expected ? "decides it" : "refuses"}`,
      );
    }
  }

  consentGranted(
    subjectId: string,
    grant: Readonly<{ partner: string; purpose: string }>,
    answer: ConsentAnswer,
  ) {
    this.answersChecked++;
    const subject = this.options.indexOf(subjectId);
    if (!answer.ok || subject === undefined) {
      this.differ(
        "consent",
        subjectId,
        `consent to ${grant.partner} for ${grant.purpose} refused: ${answer.ok ? "unknown subject" : answer.reason}`,
      );
      return;
    }
    this.access.granted(subject, {
      id: answer.consentId,
      partner: grant.partner,
      purpose: grant.purpose,
      grantedAt: answer.grantedAt,
      until: answer.until,
    });
  }

  consentRevoked(subjectId: string, consentId: number, answer: RevokeAnswer): void {
    this.answersChecked++;
    const subject = this.options.indexOf(subjectId) ?? -1;
    const expected = this.access.revoked(subject, consentId, answer.at);
    if (expected !== answer.ok) {
      this.differ(
        "consent",
        subjectId,
        `revoking consent ${consentId}: the system ${answer.ok ? "revoked it" : "refused"}, the model ${expected ? "revokes it" : "refuses"}`,
      );
    }
  }

  inquired(question: Question, subjectId: string, answer: InquiryAnswer): void {
    this.answersChecked++;
    const partner = this.partners.get(question.partner);
    const subject = this.options.indexOf(subjectId);
    if (!partner || subject === undefined) {
      this.differ(
        "inquiry",
        subjectId,
        `inquiry by unknown partner '${question.partner}' or of an unknown subject`,
      );
      return;
    }
    const expected = this.access.expect(partner, question, subject, answer.at);
    const label = `${question.partner} asked ${question.disclosure} for ${question.purpose} at ${iso(answer.at)}`;
    if (expected.allowed !== answer.allowed) {
      this.differ(
        "inquiry",
        subjectId,
        `${label}: the system ${answer.allowed ? "answered" : `refused (${answer.refusal})`}, the model ${expected.allowed ? "answers" : "refuses"}`,
      );
      return;
    }
    if (!expected.allowed) return;
    const same =
      expected.rating === answer.rating &&
      expected.score === answer.score &&
      expected.eligible === answer.eligible;
    if (!same) {
      this.differ(
        "inquiry",
        subjectId,
        `${label}: the system disclosed ${JSON.stringify(disclosed(answer))}, the model ${JSON.stringify(disclosed(expected))}`,
      );
    }
  }

  /** The system's subjects per region and rating at `at`, against the model's. */
  ratingsChecked(at: Instant, rows: RegionRatings): void {
    const expected = expectedRatingsByRegion(this.ledger, this.options, at);
    const problem = ratingsDifference(expected, rows, at);
    if (problem) this.differ("statistics", undefined, problem);
  }

  /** Compares the system's final scores (and entries, when given) with the model's. */
  async compareFinal(scores: AsyncIterable<SystemScore>): Promise<AuditSummary> {
    const compared = await compareFinal(
      {
        ledger: this.ledger,
        entryOf: (systemEntryId) => this.entryOf(systemEntryId),
        subjectIds: this.options.subjectIds,
        indexOf: this.options.indexOf,
        differ: (kind, subjectId, message) => this.differ(kind, subjectId, message),
      },
      scores,
    );
    return {
      ok: this.differences.count === 0,
      ...compared,
      answersChecked: this.answersChecked,
      differenceCount: this.differences.count,
      differences: this.differences.kept,
      firstDifferingSubject: this.differences.firstSubject(),
    };
  }

  private checkIngest(source: string, report: Report, receivedAt: Instant, answer: IngestAnswer) {
    this.answersChecked++;
    const predicted = this.ledger.ingest(
      this.source(source),
      this.referenceReport(report),
      receivedAt,
    );
    const subjectId = String(report.event.subject);
    const label = `${source} report e${report.seq} (${String(report.event.type)})`;
    if (predicted.kind !== answer.kind) {
      this.differ(
        "ingest",
        subjectId,
        `${label}: the system answered ${answer.kind}, the model ${predicted.kind}`,
      );
      return;
    }
    if (predicted.kind === "accepted") {
      this.link(predicted.entry, answer.entryId);
      if (predicted.points !== answer.points || predicted.status !== answer.status) {
        this.differ(
          "ingest",
          subjectId,
          `${label}: the system priced ${answer.points} (${answer.status}), the model ${predicted.points} (${predicted.status})`,
        );
      }
    } else if (predicted.kind === "duplicate") {
      this.checkDuplicate(predicted, answer, subjectId, label);
    }
  }

  private checkDuplicate(
    predicted: Extract<Predicted, { kind: "duplicate" }>,
    answer: IngestAnswer,
    subjectId: string,
    label: string,
  ) {
    const known = this.entryIds.systemIdOf(predicted.entry);
    // The crashed run's commits are first seen as duplicates of the restart.
    if (known === 0) this.link(predicted.entry, answer.entryId);
    else if (known !== answer.entryId) {
      this.differ(
        "ingest",
        subjectId,
        `${label}: a duplicate of entry ${answer.entryId}, the model says of entry ${known}`,
      );
    }
  }

  private link(entry: number, systemEntryId: number | undefined): void {
    if (systemEntryId === undefined || !Number.isInteger(systemEntryId) || systemEntryId < 1) {
      this.differ("ingest", undefined, `an accepted report without an entry id (${systemEntryId})`);
      return;
    }
    this.entryIds.link(entry, systemEntryId);
  }

  private known(systemEntryId: number, kind: "review" | "appeal"): number | undefined {
    this.answersChecked++;
    const entry = this.entryOf(systemEntryId);
    if (entry === undefined) {
      this.differ(
        kind,
        undefined,
        `${kind} of entry ${systemEntryId}, which the model does not hold`,
      );
    }
    return entry;
  }

  private agree(
    kind: "review" | "appeal",
    entry: number,
    expected: boolean,
    answer: TransitionAnswer | AppealAnswer,
    label: string,
  ): void {
    if (expected === answer.ok) return;
    const subjectId = this.options.subjectIds[this.ledger.subject(entry)];
    const said = answer.ok ? "did it" : `refused: ${answer.reason}`;
    this.differ(
      kind,
      subjectId,
      `${label}: the system ${said}; the model ${expected ? "does it" : "refuses"}`,
    );
  }

  private source(name: string): ReferenceSource {
    const source = this.sources.get(name);
    if (!source) throw new Error(`the auditor was not told of source '${name}'`);
    return source;
  }

  private referenceReport(report: Report) {
    const confidence = report.event.confidence;
    return {
      key: report.seq,
      subject: this.options.indexOf(String(report.event.subject)) ?? -1,
      type: String(report.event.type),
      occurredAt: report.occurredAt,
      confidence: typeof confidence === "number" ? confidence : undefined,
    };
  }

  private differ(kind: Difference["kind"], subjectId: string | undefined, message: string): void {
    this.differences.add({ kind, subjectId, message });
  }
}

function iso(at: Instant): string {
  return new Date(at).toISOString();
}

function disclosed(answer: Readonly<{ rating?: Rating; score?: number; eligible?: boolean }>) {
  return { rating: answer.rating, score: answer.score, eligible: answer.eligible };
}
