/**
 * The charter's flows end to end over real HTTP: partners, citizens, sources and reviewers act
 * only through the API. Only credentials and activation codes are made directly in the store.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventInput } from "../../core/event.js";
import { days, formatInstant } from "../../core/time.js";
import { openTestApp, type TestApp } from "../../test-support/api.js";
import { conductEvent, issueCode, passphrase } from "../../test-support/citizen.js";

let test: TestApp;
let origin: string;
let keys: Record<"police" | "camera" | "bank" | "employer" | "reviewer", string>;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "south" },
  ]);
  keys = {
    police: await test.addSource("police", "agency", ["traffic.*", "public.*"]),
    camera: await test.addSource("camera-7", "camera", ["traffic.*"]),
    bank: await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] }),
    employer: await test.addPartner({ name: "acme", kind: "employer", purposes: ["employment"] }),
    reviewer: await test.keyFor("reviewer", "rita"),
  };
  origin = await test.app.listen({ host: "127.0.0.1", port: 0 });
});
afterEach(async () => {
  await test.close();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field by expect().
type Answer = Readonly<{ status: number; body: Record<string, any> }>;

async function http(
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: Readonly<{ key?: string; body?: unknown }> = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

async function citizen(subjectId: string): Promise<string> {
  const activationCode = await issueCode(test, subjectId);
  const activated = await http("POST", "/v1/activate", {
    body: { subjectId, activationCode, passphrase },
  });
  expect(activated.status).toBe(200);
  return signInAgain(subjectId);
}

/** Sessions last 12 hours; the flows move the clock by days. */
async function signInAgain(subjectId: string): Promise<string> {
  const session = await http("POST", "/v1/session", { body: { subjectId, passphrase } });
  expect(session.status).toBe(200);
  return session.body.token;
}

async function reportEvent(key: string, overrides: Partial<EventInput>): Promise<number> {
  const occurredAt = formatInstant(test.clock.now - 3_600_000);
  const answer = await http("POST", "/v1/events", {
    key,
    body: { events: [conductEvent({ occurredAt, ...overrides })] },
  });
  expect(answer.body.outcomes[0].outcome).toBe("accepted");
  return answer.body.outcomes[0].entryId;
}

const score = async (token: string) => (await http("GET", "/v1/me", { key: token })).body.score;

async function kinds(token: string): Promise<string[]> {
  const feed = await http("GET", "/v1/me/notifications", { key: token });
  return feed.body.notifications.map((notification: { kind: string }) => notification.kind);
}

describe("citizen flows over HTTP", () => {
  it("a partner's query shows up in the subject's inquiries and feed", async () => {
    const token = await citizen("c-001");
    const until = formatInstant(test.clock.now + days(60));
    await http("POST", "/v1/me/consents", {
      key: token,
      body: { partner: "bank", purpose: "credit", until },
    });
    const asked = await http("POST", "/v1/inquiries", {
      key: keys.bank,
      body: { subjectId: "c-001", purpose: "credit", disclosure: "rating" },
    });
    expect(asked.body).toMatchObject({ rating: "A" });
    const seen = await http("GET", "/v1/me/inquiries", { key: token });
    expect(seen.body.inquiries).toMatchObject([
      { id: asked.body.inquiryId, partner: "bank", allowed: true, disclosed: { rating: "A" } },
    ]);
    expect(await kinds(token)).toContain("inquiry_made");
  });

  it("an appeal suspends the entry's points, and the reversal restores the score", async () => {
    let token = await citizen("c-001");
    const entryId = await reportEvent(keys.police, { type: "traffic.drunk_driving" });
    expect(await score(token)).toBe(900);
    const appeal = await http("POST", `/v1/me/entries/${entryId}/appeal`, {
      key: token,
      body: { statement: "I was a passenger, not the driver." },
    });
    expect(appeal.status).toBe(201);
    expect(await score(token)).toBe(1000);
    const queue = await http("GET", "/v1/appeals", { key: keys.reviewer });
    expect(queue.body.appeals[0].id).toBe(appeal.body.id);
    test.clock.now += days(2);
    token = await signInAgain("c-001");
    const decided = await http("POST", `/v1/appeals/${appeal.body.id}/decision`, {
      key: keys.reviewer,
      body: { outcome: "reversed", reason: "The passenger seat sensor confirms it." },
    });
    expect(decided.body.state).toBe("reversed");
    expect(await score(token)).toBe(1000);
    const entry = await http("GET", `/v1/me/entries/${entryId}`, { key: token });
    expect(entry.body.entry.status).toBe("reversed");
    expect(entry.body.transitions.map((t: { kind: string }) => t.kind)).toEqual([
      "appealed",
      "reversed",
    ]);
    expect(await kinds(token)).toContain("appeal_decided");
  });

  it("an overdue appeal is decided for the subject, and the subject is told", async () => {
    let token = await citizen("c-001");
    const entryId = await reportEvent(keys.police, { type: "public.littering" });
    const appeal = await http("POST", `/v1/me/entries/${entryId}/appeal`, {
      key: token,
      body: { statement: "The bin was overflowing." },
    });
    test.clock.now += days(31);
    token = await signInAgain("c-001");
    const appeals = await http("GET", "/v1/me/appeals", { key: token });
    expect(appeals.body.appeals).toMatchObject([
      { id: appeal.body.id, state: "reversed", decidedAtDeadline: true },
    ]);
    expect(await score(token)).toBe(1000);
    const feed = await http("GET", "/v1/me/notifications", { key: token });
    const told = feed.body.notifications.find(
      (notification: { kind: string }) => notification.kind === "appeal_decided",
    );
    expect(told.message).toMatch(/decided in your favour/);
  });

  it("a camera event below the confidence threshold counts only once a reviewer confirms it", async () => {
    const token = await citizen("c-001");
    const entryId = await reportEvent(keys.camera, { confidence: 0.5 });
    expect(await score(token)).toBe(1000);
    const entries = await http("GET", "/v1/me/entries", { key: token });
    expect(entries.body.entries[0]).toMatchObject({ status: "pending_review", counts: false });
    expect(await kinds(token)).toContain("entry_pending_review");
    const queue = await http("GET", "/v1/reviews", { key: keys.reviewer });
    expect(queue.body.entries.map((entry: { id: number }) => entry.id)).toEqual([entryId]);
    const confirmed = await http("POST", `/v1/reviews/${entryId}`, {
      key: keys.reviewer,
      body: { decision: "confirm", reason: "The plate is readable." },
    });
    expect(confirmed.body.status).toBe("effective");
    expect(await score(token)).toBe(990);
    expect(await kinds(token)).toContain("entry_reviewed");
  });

  it("an employer is refused on a consent older than 30 days", async () => {
    let token = await citizen("c-001");
    await http("POST", "/v1/me/consents", {
      key: token,
      body: {
        partner: "acme",
        purpose: "employment",
        until: formatInstant(test.clock.now + days(90)),
      },
    });
    const question = { subjectId: "c-001", purpose: "employment", disclosure: "rating" };
    expect(
      (await http("POST", "/v1/inquiries", { key: keys.employer, body: question })).status,
    ).toBe(200);
    test.clock.now += days(31);
    const refused = await http("POST", "/v1/inquiries", { key: keys.employer, body: question });
    expect(refused).toMatchObject({
      status: 403,
      body: { code: "consent_required", refusal: "employment_consent_too_old" },
    });
    token = await signInAgain("c-001");
    const seen = await http("GET", "/v1/me/inquiries", { key: token });
    expect(seen.body.inquiries.map((inquiry: { allowed: boolean }) => inquiry.allowed)).toEqual([
      false,
      true,
    ]);
  });

  it("a revoked consent refuses the next query", async () => {
    const token = await citizen("c-001");
    const consent = await http("POST", "/v1/me/consents", {
      key: token,
      body: { partner: "bank", purpose: "credit", until: formatInstant(test.clock.now + days(9)) },
    });
    const question = { subjectId: "c-001", purpose: "credit", disclosure: "score" };
    expect((await http("POST", "/v1/inquiries", { key: keys.bank, body: question })).status).toBe(
      200,
    );
    await http("DELETE", `/v1/me/consents/${consent.body.id}`, { key: token });
    test.clock.now += 1_000;
    const refused = await http("POST", "/v1/inquiries", { key: keys.bank, body: question });
    expect(refused.body).toMatchObject({ code: "consent_required", refusal: "no_live_consent" });
  });

  it("another citizen can neither read nor appeal someone else's entry (404)", async () => {
    await citizen("c-001");
    const other = await citizen("c-002");
    const entryId = await reportEvent(keys.police, { subject: "c-001" });
    const read = await http("GET", `/v1/me/entries/${entryId}`, { key: other });
    const appeal = await http("POST", `/v1/me/entries/${entryId}/appeal`, {
      key: other,
      body: { statement: "Not mine to appeal." },
    });
    const missing = await http("GET", "/v1/me/entries/424242", { key: other });
    expect([read.status, appeal.status, missing.status]).toEqual([404, 404, 404]);
    expect(read.body.code).toBe(missing.body.code);
    const theirList = await http("GET", "/v1/me/entries", { key: other });
    expect(theirList.body.entries).toEqual([]);
  });
});
