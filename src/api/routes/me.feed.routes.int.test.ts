import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import type { InquiryInput } from "../../store/access.store.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, reportOne, signIn, signInAgain } from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let police: string;
let authority: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "south" },
  ]);
  citizen = await signIn(test, "c-001");
  // Conduct from here on happens after enrollment (reports are dated an hour back).
  test.clock.now += 2 * 3_600_000;
  police = await test.addSource("police", "agency", ["traffic.*"]);
  authority = await test.addPartner({
    name: "tax-office",
    kind: "authority",
    purposes: ["public_task"],
  });
  await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
});
afterEach(async () => {
  await test.close();
});

const get = (url: string, key = citizen) => call(test, "GET", url, { key });
const hourAgo = () => formatInstant(test.clock.now - 3_600_000);

/** The authority's look, which needs no consent: logged and shown like everyone else's. */
async function authorityLooks(): Promise<number> {
  const response = await call(test, "POST", "/v1/inquiries", {
    key: authority,
    body: { subjectId: "c-001", purpose: "public_task", disclosure: "score" },
  });
  expect(response.statusCode).toBe(200);
  return response.json().inquiryId;
}

/** A bank's refused asks, `count` of them at the clock's time: many with one timestamp. */
async function bankAsks(count: number, subjectId = "c-001"): Promise<void> {
  const ask: InquiryInput = {
    subjectId,
    partner: "bank",
    purpose: "credit",
    disclosure: "rating",
    allowed: false,
    refusal: "no_live_consent",
    disclosed: {},
    at: test.clock.now,
  };
  // Written straight to the store, together: the partner route's own tests cover writing them.
  await Promise.all(Array.from({ length: count }, () => test.store.recordInquiry(ask)));
}

type Page<Item> = { items: Item[]; next: string | undefined; pages: number };

/** Every page of a list, following `next` from the newest page to the last. */
async function readAll<Item>(path: string, field: string, limit: number): Promise<Page<Item>> {
  const items: Item[] = [];
  let after: string | undefined;
  for (let pages = 1; pages <= 1_000; pages++) {
    const cursor = after === undefined ? "" : `&after=${encodeURIComponent(after)}`;
    const response = await get(`${path}?limit=${limit}${cursor}`);
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    items.push(...answer[field]);
    if (answer.next === undefined) return { items, next: undefined, pages };
    expect(answer[field]).toHaveLength(limit);
    after = answer.next;
  }
  throw new Error(`${path} never reached its last page`);
}

type Inquiry = { id: number; partner: string; at: string };
type Notification = { id: string; kind: string; at: string; inquiryId?: number };

describe("GET /v1/me/inquiries", () => {
  it("is empty until someone asks", async () => {
    expect((await get("/v1/me/inquiries")).json()).toEqual({ inquiries: [] });
  });

  it("pages back to the very first look, however many come after it", async () => {
    const lookedAt = test.clock.now;
    const policeLook = await authorityLooks();
    test.clock.now += days(14);
    citizen = await signInAgain(test, "c-001");
    await bankAsks(1_005);
    await bankAsks(3, "c-002");
    const first = (await get("/v1/me/inquiries?limit=1000")).json();
    expect(first.inquiries).toHaveLength(1_000);
    expect(first.inquiries.every((inquiry: Inquiry) => inquiry.partner === "bank")).toBe(true);
    expect(typeof first.next).toBe("string");
    // A partner asking more between two pages moves nothing: they come before the cursor.
    await bankAsks(10);
    const rest = (await get(`/v1/me/inquiries?limit=1000&after=${first.next}`)).json();
    expect(rest.next).toBeUndefined();
    expect(rest.inquiries).toHaveLength(6);
    expect(rest.inquiries.at(-1)).toMatchObject({
      id: policeLook,
      partner: "tax-office",
      partnerKind: "authority",
      purpose: "public_task",
      at: formatInstant(lookedAt),
    });
    const seen = [...first.inquiries, ...rest.inquiries].map((inquiry: Inquiry) => inquiry.id);
    expect(new Set(seen).size).toBe(1_006);
    // Small pages reach the same look: every boundary but the last among equal times.
    const bySeven = await readAll<Inquiry>("/v1/me/inquiries", "inquiries", 7);
    expect(bySeven.items).toHaveLength(1_016);
    expect(bySeven.items.at(-1)?.id).toBe(policeLook);
    expect(new Set(bySeven.items.map((inquiry) => inquiry.id)).size).toBe(1_016);
  });

  it("refuses a cursor it did not answer, saying which parameter", async () => {
    await authorityLooks();
    const malformed = ["", "abc", "12", "1:0", "1:x", "1.5:2", "1:2:3", "1".repeat(1_100)];
    for (const after of malformed) {
      const problem = problemOf(await get(`/v1/me/inquiries?after=${encodeURIComponent(after)}`));
      expect(problem, after).toMatchObject({ status: 400, code: "validation_failed" });
      expect(problem.detail, after).toMatch(/after/);
    }
    const notCursor = problemOf(await get("/v1/me/inquiries?after=abc"));
    expect(notCursor.detail).toMatch(/not a cursor of this list.*`next`/);
  });
});

describe("GET /v1/me/notifications", () => {
  it("tells me of new entries, rating changes and benefits lost", async () => {
    await reportOne(test, police, { occurredAt: hourAgo() });
    const { notifications, next } = (await get("/v1/me/notifications")).json();
    const kinds = notifications.map((notification: { kind: string }) => notification.kind);
    expect(kinds).toContain("entry_recorded");
    expect(kinds).toContain("rating_changed");
    expect(kinds).toContain("benefit_lost");
    expect(next).toBeUndefined();
    const limited = (await get("/v1/me/notifications?limit=1")).json();
    expect(limited.notifications).toHaveLength(1);
    expect(limited.next).toEqual(expect.any(String));
  });

  it("pages back to an appeal's decision and an authority's look under a flood of asks", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const appealed = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
      key: citizen,
      body: { statement: "It was green." },
    });
    expect(appealed.statusCode).toBe(201);
    // Nobody decides it: at its deadline it is decided for the citizen.
    test.clock.now += days(31);
    citizen = await signInAgain(test, "c-001");
    const policeLook = await authorityLooks();
    test.clock.now += days(14);
    citizen = await signInAgain(test, "c-001");
    await bankAsks(1_005);
    const byThousand = await readAll<Notification>("/v1/me/notifications", "notifications", 1_000);
    expect(byThousand.pages).toBe(2);
    const feed = byThousand.items;
    const ids = feed.map((notification) => notification.id);
    expect(new Set(ids).size).toBe(ids.length);
    const times = feed.map((notification) => Date.parse(notification.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const inquiries = feed.filter((notification) => notification.kind === "inquiry_made");
    expect(inquiries).toHaveLength(1_006);
    expect(inquiries.at(-1)?.inquiryId).toBe(policeLook);
    expect(feed.map((notification) => notification.kind)).toContain("appeal_decided");
    expect(ids).toContain(`entry_recorded:${entryId}`);
    // The very first: a benefit held from enrollment on (A or better, now).
    expect(feed.at(-1)?.kind).toBe("benefit_gained");
    // Any page size answers the same feed: boundaries among equal times and between kinds.
    const byThirteen = await readAll<Notification>("/v1/me/notifications", "notifications", 13);
    expect(byThirteen.items.map((notification) => notification.id)).toEqual(ids);
  });

  it("answers the same feed in pages of one: boundaries between kinds and among equal times", async () => {
    await reportOne(test, police, { occurredAt: hourAgo() });
    await authorityLooks();
    await bankAsks(3);
    const whole = (await get("/v1/me/notifications?limit=1000")).json();
    expect(whole.next).toBeUndefined();
    const times = new Set(whole.notifications.map((notification: Notification) => notification.at));
    expect(times.size).toBeLessThan(whole.notifications.length);
    const byOne = await readAll<Notification>("/v1/me/notifications", "notifications", 1);
    expect(byOne.items).toEqual(whole.notifications);
    expect(byOne.pages).toBe(whole.notifications.length);
  });

  it("refuses a cursor it did not answer, saying which parameter", async () => {
    const malformed = [
      "abc",
      "12",
      "1:inquiry_made",
      "1:inquiry_made:abc",
      "1:inquiry_made:0",
      "1:no_such_kind:3",
      "1:entry_recorded:has space",
      `1:entry_recorded:${"9".repeat(1_100)}`,
    ];
    for (const after of malformed) {
      const url = `/v1/me/notifications?after=${encodeURIComponent(after)}`;
      const problem = problemOf(await get(url));
      expect(problem, after).toMatchObject({ status: 400, code: "validation_failed" });
      expect(problem.detail, after).toMatch(/after/);
    }
  });
});
