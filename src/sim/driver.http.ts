import { consentDaysMax } from "../access/consent.service.js";
import type { Rating } from "../core/rating.js";
import { days, type Instant } from "../core/time.js";
import type { Delivery } from "./delivery.js";
import type {
  AppealItem,
  CityDriver,
  CitySetup,
  IngestAnswer,
  InquiryAnswer,
  QueueItem,
  SystemScore,
} from "./driver.js";
import { ApiClient } from "./http.client.js";
import { authorityName, type Question } from "./partners.js";

/** Events per request: well under the API's 10,000 and its 16 MB body. */
const eventsPerRequestMax = 5_000;
const subjectsPerRequestMax = 1_000;
/** The simulated citizens' passphrase (they are not people; the API still wants one). */
const citizenPassphrase = "simulated citizen, simulated passphrase";

export type HttpDriverOptions = Readonly<{
  url: string;
  adminKey: string;
  /** Put before every source and partner name, to keep runs against one server apart. */
  namePrefix: string;
  onWait?: (seconds: number, path: string) => void;
}>;

type Body = Record<string, unknown>;

/**
 * Drives a running `civic serve` over HTTP with API keys, as the city's actors would: the admin
 * sets the city up, sources report, citizens sign in to appeal and consent, partners ask,
 * reviewers decide. The server keeps its own clock: answers carry the times it recorded.
 */
export class HttpDriver implements CityDriver {
  readonly mode = "http";
  private readonly client: ApiClient;
  private readonly keys = new Map<string, string>();
  private readonly activationCodes = new Map<string, string>();
  private readonly sessions = new Map<string, string>();
  private reviewerKey = "";

  constructor(private readonly options: HttpDriverOptions) {
    this.client = new ApiClient(options.url.replace(/\/+$/, ""), options.onWait);
  }

  async rulebookText(): Promise<string> {
    const rulebook = await this.client.expect(200, "GET", "/v1/rulebook");
    return String(rulebook.text);
  }

  async setUp(city: CitySetup): Promise<void> {
    const admin = { key: this.options.adminKey };
    for (const source of city.sources) {
      const name = this.name(source.name);
      const { kind, allowedTypes } = source;
      await this.client.expect(201, "POST", "/v1/sources", {
        ...admin,
        body: { name, kind, allowedTypes },
      });
      this.keys.set(`source ${source.name}`, await this.issueKey("source", name));
    }
    for (const partner of city.partners) {
      const name = this.name(partner.name);
      const body = { name, kind: partner.kind, purposes: partner.purposes };
      await this.client.expect(201, "POST", "/v1/partners", { ...admin, body });
      this.keys.set(`partner ${partner.name}`, await this.issueKey("partner", name));
    }
    this.reviewerKey = await this.issueKey("reviewer", this.name(city.reviewer));
    for (let start = 0; start < city.subjects.length; start += subjectsPerRequestMax) {
      const subjects = city.subjects.slice(start, start + subjectsPerRequestMax);
      const answer = await this.client.expect(200, "POST", "/v1/subjects", {
        ...admin,
        body: { subjects },
      });
      for (const enrolled of answer.subjects as Body[]) {
        if (enrolled.outcome !== "enrolled") {
          throw new Error(`subject ${String(enrolled.id)} was enrolled before: use a new prefix`);
        }
        this.activationCodes.set(String(enrolled.id), String(enrolled.activationCode));
      }
    }
  }

  async ingest(source: string, events: readonly object[]): Promise<IngestAnswer[]> {
    const answers: IngestAnswer[] = [];
    for (let start = 0; start < events.length; start += eventsPerRequestMax) {
      const chunk = events.slice(start, start + eventsPerRequestMax);
      const body = await this.client.expect(200, "POST", "/v1/events", {
        key: this.key("source", source),
        body: { events: chunk },
      });
      for (const outcome of body.outcomes as Body[]) answers.push(ingestAnswerOf(outcome));
    }
    return answers;
  }

  /**
   * Over HTTP the process that crashes is the sender: one request is sent and its connection
   * dropped before the answer; the restarted sender delivers the whole day again.
   */
  async ingestThroughCrash(deliveries: readonly Delivery[]) {
    const crashAt = Math.floor(deliveries.length / 2);
    let beforeCrash = 0;
    for (const [index, delivery] of deliveries.entries()) {
      const events = delivery.reports.map((report) => report.event);
      const key = this.key("source", delivery.source);
      if (index < crashAt) {
        beforeCrash += (await this.ingest(delivery.source, events)).length;
        continue;
      }
      await this.client.sendAndDrop("/v1/events", key, {
        events: events.slice(0, eventsPerRequestMax),
      });
      break;
    }
    // Give the server the moment it needs to commit what it received before the restart.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answers: IngestAnswer[] = [];
    for (const delivery of deliveries) {
      const events = delivery.reports.map((report) => report.event);
      answers.push(...(await this.ingest(delivery.source, events)));
    }
    return { beforeCrash, answers };
  }

  /** The server decides overdue appeals on its own schedule and before reviewers' routes. */
  async settleOverdueAppeals(): Promise<number | undefined> {
    return undefined;
  }

  async pendingReviews(limit: number): Promise<QueueItem[]> {
    const body = await this.client.expect(200, "GET", `/v1/reviews?limit=${queueLimit(limit)}`, {
      key: this.reviewerKey,
    });
    return (body.entries as Body[]).map((entry) => ({
      entryId: Number(entry.id),
      subjectId: String(entry.subjectId),
      eventId: String(entry.eventId),
    }));
  }

  async review(entryId: number, decision: { confirm: boolean; reason: string }) {
    const response = await this.client.call("POST", `/v1/reviews/${entryId}`, {
      key: this.reviewerKey,
      body: { decision: decision.confirm ? "confirm" : "reject", reason: decision.reason },
    });
    return this.transitionAnswer(response.status, response.body, Date.now());
  }

  async openAppeals(limit: number): Promise<AppealItem[]> {
    const body = await this.client.expect(200, "GET", `/v1/appeals?limit=${queueLimit(limit)}`, {
      key: this.reviewerKey,
    });
    return (body.appeals as Body[]).flatMap((appeal) => {
      const entry = appeal.entry as Body | undefined;
      if (!entry) return [];
      return {
        appealId: Number(appeal.id),
        entryId: Number(appeal.entryId),
        subjectId: String(entry.subjectId),
        eventId: String(entry.eventId),
        deadlineAt: Date.parse(String(appeal.deadlineAt)),
      };
    });
  }

  async decideAppeal(
    appealId: number,
    decision: { outcome: "upheld" | "reversed"; reason: string },
  ) {
    const before = Date.now();
    const response = await this.client.call("POST", `/v1/appeals/${appealId}/decision`, {
      key: this.reviewerKey,
      body: decision,
    });
    const decidedAt = response.body.decidedAt;
    const at = typeof decidedAt === "string" ? Date.parse(decidedAt) : before;
    return this.transitionAnswer(response.status, response.body, at);
  }

  async appeal(subjectId: string, entryId: number, statement: string) {
    const key = await this.session(subjectId);
    const response = await this.client.call("POST", `/v1/me/entries/${entryId}/appeal`, {
      key,
      body: { statement },
    });
    if (response.status !== 201) {
      return {
        ok: false as const,
        at: Date.now(),
        reason: problem(response.status, response.body),
      };
    }
    return {
      ok: true as const,
      appealId: Number(response.body.id),
      openedAt: Date.parse(String(response.body.openedAt)),
      deadlineAt: Date.parse(String(response.body.deadlineAt)),
    };
  }

  async grantConsent(subjectId: string, grant: Parameters<CityDriver["grantConsent"]>[1]) {
    const key = await this.session(subjectId);
    // A day short of the longest consent: the server's clock may run a little behind ours.
    const until = new Date(
      Date.now() + days(Math.min(grant.days, consentDaysMax - 1)),
    ).toISOString();
    const partner = this.name(grant.partner);
    const response = await this.client.call("POST", "/v1/me/consents", {
      key,
      body: { partner, purpose: grant.purpose, until },
    });
    if (response.status !== 201) {
      return { ok: false as const, reason: problem(response.status, response.body) };
    }
    return {
      ok: true as const,
      consentId: Number(response.body.id),
      grantedAt: Date.parse(String(response.body.grantedAt)),
      until: Date.parse(String(response.body.until)),
    };
  }

  async revokeConsent(subjectId: string, consentId: number) {
    const key = await this.session(subjectId);
    const before = Date.now();
    const response = await this.client.call("DELETE", `/v1/me/consents/${consentId}`, { key });
    return { ok: response.status === 204, at: before };
  }

  async inquire(question: Question, subjectId: string): Promise<InquiryAnswer> {
    const before = Date.now();
    const response = await this.client.call("POST", "/v1/inquiries", {
      key: this.key("partner", question.partner),
      body: {
        subjectId,
        purpose: question.purpose,
        disclosure: question.disclosure,
        ...(question.benefitId ? { benefitId: question.benefitId } : {}),
      },
    });
    if (response.status === 403) {
      return { allowed: false, at: before, refusal: String(response.body.refusal) };
    }
    if (response.status !== 200)
      throw new Error(`inquiry: ${problem(response.status, response.body)}`);
    const { body } = response;
    return {
      allowed: true,
      at: Date.parse(String(body.at)),
      ...(body.rating === undefined ? {} : { rating: body.rating as Rating }),
      ...(body.score === undefined ? {} : { score: Number(body.score) }),
      ...(body.eligible === undefined ? {} : { eligible: Boolean(body.eligible) }),
    };
  }

  async ratingsByRegion() {
    const body = await this.client.expect(200, "GET", "/v1/statistics", {
      key: this.options.adminKey,
    });
    return {
      at: Date.parse(String(body.at)),
      rows: (body.ratingsByRegion as Body[]).map((row) => ({
        region: String(row.region),
        rating: row.rating as Rating,
        subjects: Number(row.subjects),
      })),
    };
  }

  /**
   * The auditor reads each score as the city's authority may, on `public_task` (logged and shown
   * to the subject like any inquiry): the score at the instant the server answered.
   */
  async *finalScores(subjectIds: readonly string[]): AsyncIterable<SystemScore> {
    const question: Question = {
      partner: authorityName,
      purpose: "public_task",
      disclosure: "score",
      benefitId: undefined,
    };
    for (const subjectId of subjectIds) {
      const answer = await this.inquire(question, subjectId);
      yield { subjectId, score: answer.score, rating: undefined, from: answer.at, to: answer.at };
    }
  }

  private async issueKey(role: string, principal: string): Promise<string> {
    const body = await this.client.expect(201, "POST", "/v1/credentials", {
      key: this.options.adminKey,
      body: { role, principal },
    });
    return String(body.key);
  }

  /** A citizen's session token: the first time, the activation code sets the passphrase. */
  private async session(subjectId: string): Promise<string> {
    const known = this.sessions.get(subjectId);
    if (known) return known;
    const activationCode = this.activationCodes.get(subjectId);
    if (activationCode) {
      await this.client.expect(200, "POST", "/v1/activate", {
        body: { subjectId, activationCode, passphrase: citizenPassphrase },
      });
      this.activationCodes.delete(subjectId);
    }
    const body = await this.client.expect(200, "POST", "/v1/session", {
      body: { subjectId, passphrase: citizenPassphrase },
    });
    const token = String(body.token);
    this.sessions.set(subjectId, token);
    return token;
  }

  private transitionAnswer(status: number, body: Body, at: Instant) {
    if (status === 200) return { ok: true as const, at };
    if (status === 409) return { ok: false as const, at, reason: String(body.detail) };
    throw new Error(`decision: ${problem(status, body)}`);
  }

  private key(role: "source" | "partner", name: string): string {
    const key = this.keys.get(`${role} ${name}`);
    if (!key) throw new Error(`no key for ${role} '${name}'`);
    return key;
  }

  private name(name: string): string {
    return `${this.options.namePrefix}${name}`;
  }
}

function ingestAnswerOf(outcome: Body): IngestAnswer {
  return {
    kind: outcome.outcome as IngestAnswer["kind"],
    ...(outcome.entryId === undefined ? {} : { entryId: Number(outcome.entryId) }),
    ...(outcome.points === undefined ? {} : { points: Number(outcome.points) }),
    ...(outcome.status === undefined ? {} : { status: outcome.status as IngestAnswer["status"] }),
  };
}

function queueLimit(limit: number): number {
  return Math.max(1, Math.min(1_000, Math.floor(limit)));
}

function problem(status: number, body: Body): string {
  return `${status} ${String(body.code ?? "")}: ${String(body.detail ?? "")}`;
}
