import { appealEntry, decideOverdueAppeals } from "../access/appeal.service.js";
import { consentRefusalMessage, grantConsent } from "../access/consent.service.js";
import { answerInquiry } from "../access/inquiry.service.js";
import { appealRefusalMessage } from "../core/appeal.js";
import type { Outcome } from "../core/outcome.js";
import type { Rating } from "../core/rating.js";
import { days, type Instant } from "../core/time.js";
import { ingestEvents } from "../ingest/ingest.service.js";
import type { PartnerRecord } from "../store/access.store.js";
import type { SqliteStore } from "../store/sqlite/sqlite.store.js";
import type { Subject } from "../store/store.js";
import { ingestThroughCrashedProcess } from "./crash.js";
import type {
  AppealItem,
  CityDriver,
  CitySetup,
  IngestAnswer,
  QueueItem,
  SystemScore,
} from "./driver.js";

/** Subjects enrolled per store call, as the API's enrollment route allows. */
const enrollChunkSubjectsMax = 1_000;
/** Subjects read per round trip when the auditor compares. */
const comparePageSubjectsMax = 2_000;
/** The store lists at most this many waiting entries or open appeals per call. */
const queuePageMax = 1_000;

/**
 * Drives the system in this process through the same services the API's routes call, with the
 * simulated time as the clock: ingestion, consents, inquiries, appeals, reviews, statistics.
 * The caller owns the store and closes it.
 */
export class ProcessDriver implements CityDriver {
  readonly mode = "in-process";
  private reviewer = "reviewer";
  /** Partners do not change during a run: each is read once. */
  private readonly partners = new Map<string, PartnerRecord>();

  constructor(
    private readonly store: SqliteStore,
    private readonly databasePath: string,
  ) {}

  async rulebookText(): Promise<string> {
    const published = await this.store.currentRulebook();
    if (!published) throw new Error("no rulebook is published");
    return published.text;
  }

  async setUp(city: CitySetup): Promise<void> {
    this.reviewer = city.reviewer;
    for (const source of city.sources) {
      const added = await this.store.addSource(source, city.at);
      if ("refused" in added) throw new Error(`source ${source.name}: ${added.refused}`);
    }
    for (const partner of city.partners) {
      const added = await this.store.addPartner(partner, city.at);
      if ("refused" in added) throw new Error(`partner ${partner.name}: ${added.refused}`);
    }
    for (let start = 0; start < city.subjects.length; start += enrollChunkSubjectsMax) {
      const chunk = city.subjects.slice(start, start + enrollChunkSubjectsMax);
      const outcomes = await this.store.enrollSubjects(chunk, city.at);
      if (outcomes.some((outcome) => outcome !== "enrolled")) {
        throw new Error("the ledger already held some of the simulated subjects");
      }
    }
  }

  async ingest(source: string, events: readonly object[], at: Instant): Promise<IngestAnswer[]> {
    const profile = await this.store.source(source);
    if (!profile) throw new Error(`no source '${source}'`);
    const { outcomes } = await ingestEvents(events, {
      store: this.store,
      source: profile,
      clock: () => at,
    });
    return outcomes.map(answerOf);
  }

  ingestThroughCrash(...[deliveries, at]: Parameters<CityDriver["ingestThroughCrash"]>) {
    return ingestThroughCrashedProcess({ databasePath: this.databasePath, deliveries, at });
  }

  async settleOverdueAppeals(at: Instant): Promise<number> {
    let settled = 0;
    for (;;) {
      const decided = await this.store.decideOverdueAppeals(at);
      settled += decided.length;
      if (decided.length === 0) return settled;
    }
  }

  async pendingReviews(limit: number): Promise<QueueItem[]> {
    const entries = await this.store.pendingReviews(Math.min(limit, queuePageMax));
    return entries.map((entry) => ({
      entryId: entry.id,
      subjectId: entry.subjectId,
      eventId: entry.eventId,
    }));
  }

  async review(entryId: number, decision: { confirm: boolean; reason: string }, at: Instant) {
    const outcome = await this.store.applyTransition(entryId, {
      kind: decision.confirm ? "confirmed" : "rejected",
      actor: this.reviewer,
      at,
      reason: decision.reason,
    });
    return outcome.ok
      ? { ok: true as const, at }
      : { ok: false as const, at, reason: outcome.reason };
  }

  async openAppeals(limit: number, at: Instant): Promise<AppealItem[]> {
    await decideOverdueAppeals(this.store, at);
    const appeals = await this.store.openAppeals(Math.min(limit, queuePageMax));
    const items: AppealItem[] = [];
    for (const appeal of appeals) {
      const entry = await this.store.entry(appeal.entryId);
      if (!entry) throw new Error(`appeal ${appeal.id} names a missing entry`);
      items.push({
        appealId: appeal.id,
        entryId: appeal.entryId,
        subjectId: appeal.subjectId,
        eventId: entry.eventId,
        deadlineAt: appeal.deadlineAt,
      });
    }
    return items;
  }

  /** As the reviewers' route does: overdue appeals are decided for the subject first. */
  async decideAppeal(
    appealId: number,
    decision: { outcome: "upheld" | "reversed"; reason: string },
    at: Instant,
  ) {
    await decideOverdueAppeals(this.store, at);
    const decided = await this.store.decideAppeal(appealId, {
      outcome: decision.outcome,
      decidedBy: this.reviewer,
      reason: decision.reason,
      at,
    });
    if ("refused" in decided) return { ok: false as const, at, reason: decided.refused };
    return { ok: true as const, at };
  }

  async appeal(subjectId: string, entryId: number, statement: string, at: Instant) {
    const answer = await appealEntry(this.store, {
      subjectId,
      entryId,
      request: { statement, evidenceUrl: undefined },
      now: at,
    });
    if (answer.kind === "opened") {
      const { id, openedAt, deadlineAt } = answer.appeal;
      return { ok: true as const, appealId: id, openedAt, deadlineAt };
    }
    const reason = answer.kind === "refused" ? appealRefusalMessage(answer.refusal) : "not found";
    return { ok: false as const, at, reason };
  }

  async grantConsent(
    subjectId: string,
    grant: Parameters<CityDriver["grantConsent"]>[1],
    at: Instant,
  ) {
    const { partner, purpose } = grant;
    const until = at + days(grant.days);
    const granted = await grantConsent(this.store, subjectId, { partner, purpose, until }, at);
    if ("refused" in granted) {
      return { ok: false as const, reason: consentRefusalMessage(granted.refused) };
    }
    return { ok: true as const, consentId: granted.id, grantedAt: granted.grantedAt, until };
  }

  async revokeConsent(subjectId: string, consentId: number, at: Instant) {
    return { ok: await this.store.revokeConsent(subjectId, consentId, at), at };
  }

  async inquire(question: Parameters<CityDriver["inquire"]>[0], subjectId: string, at: Instant) {
    const partner = await this.partner(question.partner);
    const { purpose, disclosure, benefitId } = question;
    const answer = await answerInquiry(this.store, {
      partner,
      question: { subjectId, purpose, disclosure, benefitId },
      now: at,
    });
    if (answer.kind === "disclosed") return { allowed: true, at, ...answer.disclosed };
    if (answer.kind === "refused") return { allowed: false, at, refusal: answer.refusal };
    throw new Error(`inquiry about ${subjectId}: ${answer.kind}`);
  }

  private async partner(name: string): Promise<PartnerRecord> {
    const cached = this.partners.get(name);
    if (cached) return cached;
    const partner = await this.store.partner(name);
    if (!partner) throw new Error(`no partner '${name}'`);
    this.partners.set(name, partner);
    return partner;
  }

  async ratingsByRegion(at: Instant) {
    const statistics = await this.store.statistics(at, { overTime: false });
    const rows = statistics.ratingsByRegion.map((row) => ({
      ...row,
      rating: row.rating as Rating,
    }));
    return { at, rows };
  }

  /** Stored scores as of `at` (the clock moves there first), with every subject's entries. */
  async *finalScores(
    _subjectIds: readonly string[],
    at: Instant,
    options: Readonly<{ entries: boolean }>,
  ): AsyncIterable<SystemScore> {
    await this.store.advanceClock(at);
    let after = 0;
    for (;;) {
      const page: Subject[] = await this.store.subjectsPage(after, comparePageSubjectsMax);
      if (page.length === 0) return;
      const internalIds = page.map((subject) => subject.internalId);
      const [scores, entries] = await Promise.all([
        this.store.storedScores(internalIds),
        options.entries ? this.store.entriesOfSubjects(internalIds) : undefined,
      ]);
      for (const subject of page) {
        const stored = scores.get(subject.internalId);
        yield {
          subjectId: subject.id,
          score: stored?.score,
          rating: stored?.rating,
          from: at,
          to: at,
          entries:
            entries &&
            (entries.get(subject.internalId) ?? []).map((entry) => ({
              id: entry.id,
              eventId: entry.eventId,
              points: entry.points,
              status: entry.status,
              effectiveAt: entry.effectiveAt,
              expiresAt: entry.expiresAt,
            })),
        };
      }
      after = (page.at(-1) as Subject).internalId;
    }
  }
}

export function answerOf(outcome: Outcome): IngestAnswer {
  switch (outcome.kind) {
    case "accepted":
      return {
        kind: "accepted",
        entryId: outcome.entryId,
        points: outcome.points,
        status: outcome.status,
      };
    case "duplicate":
      return { kind: "duplicate", entryId: outcome.entryId };
    default:
      return { kind: outcome.kind };
  }
}
