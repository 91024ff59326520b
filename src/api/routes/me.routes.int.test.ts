import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { benefitProgress } from "../../ledger/score.view.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import {
  call,
  conductEvent,
  report,
  reportOne,
  signIn,
  signInAgain,
} from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let police: string;
let city: string;

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
  city = await test.addSource("city", "agency", ["civic.*"]);
});
afterEach(async () => {
  await test.close();
});

const get = (url: string, key = citizen) => call(test, "GET", url, { key });
const hourAgo = () => formatInstant(test.clock.now - 3_600_000);

describe("GET /v1/me", () => {
  it("answers my score, rating and the change over 30 days", async () => {
    const fresh = (await get("/v1/me")).json();
    expect(fresh).toMatchObject({
      subjectId: "c-001",
      region: "north",
      score: 1000,
      rating: "A",
      recentChange: { days: 30, points: 0 },
      openAppeals: 0,
    });
    await reportOne(test, police, { occurredAt: hourAgo() });
    const me = (await get("/v1/me")).json();
    expect(me).toMatchObject({
      score: 990,
      rating: "B",
      pointsLost: 10,
      entriesCounting: 1,
      recentChange: { scoreThen: 1000, ratingThen: "A", points: -10 },
      asOf: formatInstant(test.clock.now),
    });
    expect(me.nextExpiry.points).toBe(-10);
  });

  it("is for a signed-in citizen only", async () => {
    expect(problemOf(await call(test, "GET", "/v1/me")).code).toBe("unauthenticated");
    expect(problemOf(await get("/v1/me", police)).code).toBe("forbidden");
    expect(problemOf(await get("/v1/me", test.adminKey)).code).toBe("forbidden");
    expect(problemOf(await get("/v1/me", "ccs_forged.1.x")).code).toBe("unauthenticated");
  });
});

describe("GET /v1/me/rating-history and /v1/me/score-history", () => {
  it("answers every rating change since enrollment", async () => {
    const enrolledAt = test.clock.now - 2 * 3_600_000;
    test.clock.now += days(3);
    citizen = await signInAgain(test, "c-001");
    await reportOne(test, police, { occurredAt: hourAgo() });
    const { history } = (await get("/v1/me/rating-history")).json();
    expect(history).toEqual([
      { at: formatInstant(enrolledAt), score: 1000, rating: "A" },
      { at: formatInstant(test.clock.now - 3_600_000), score: 990, rating: "B" },
    ]);
  });

  it("answers the score's moves in a range, known expiries included", async () => {
    const occurredAt = test.clock.now - 3_600_000;
    await reportOne(test, police, { occurredAt: formatInstant(occurredAt) });
    const to = formatInstant(test.clock.now + days(400));
    const response = await get(`/v1/me/score-history?to=${encodeURIComponent(to)}`);
    expect(response.json().points.map((point: { score: number }) => point.score)).toEqual([
      1000, 990, 1000,
    ]);
    const backwards = await get(
      `/v1/me/score-history?from=${encodeURIComponent(to)}&to=${encodeURIComponent(formatInstant(occurredAt))}`,
    );
    expect(problemOf(backwards)).toMatchObject({
      code: "validation_failed",
      issues: [{ path: "/from", message: "must not be after `to`" }],
    });
    const tooFar = formatInstant(test.clock.now + days(4_000));
    expect(
      problemOf(await get(`/v1/me/score-history?to=${encodeURIComponent(tooFar)}`)),
    ).toMatchObject({ code: "validation_failed", issues: [{ path: "/to" }] });
    expect(problemOf(await get("/v1/me/score-history?to=yesterday")).code).toBe(
      "validation_failed",
    );
  });

  it("starts the range at enrollment or the first reported conduct at the earliest", async () => {
    const { enrolledAt } = (await get("/v1/me")).json();
    const yearBefore = formatInstant(Date.parse(enrolledAt) - days(365));
    const history = (
      await get(`/v1/me/score-history?from=${encodeURIComponent(yearBefore)}`)
    ).json();
    expect(history.from).toBe(enrolledAt);
    expect(history.points[0]).toEqual({ at: enrolledAt, score: 1000, rating: "A" });
    const dayBefore = formatInstant(Date.parse(enrolledAt) - days(1));
    const before = (
      await get(
        `/v1/me/score-history?from=${encodeURIComponent(yearBefore)}&to=${encodeURIComponent(dayBefore)}`,
      )
    ).json();
    expect(before).toMatchObject({ from: dayBefore, to: dayBefore });
    // A report older than the enrollment moves the start back to its conduct.
    const occurredAt = formatInstant(Date.parse(enrolledAt) - days(10));
    await reportOne(test, police, { occurredAt });
    const older = (await get(`/v1/me/score-history?from=${encodeURIComponent(yearBefore)}`)).json();
    expect(older.from).toBe(occurredAt);
    expect(older.points[0]).toEqual({ at: occurredAt, score: 990, rating: "B" });
  });
});

describe("GET /v1/me/benefits", () => {
  it("answers each programme with its progress", async () => {
    const heroics = Array.from({ length: 10 }, () =>
      conductEvent({ type: "civic.heroic_act", occurredAt: hourAgo() }),
    );
    await report(test, city, heroics);
    test.clock.now += days(42);
    citizen = await signInAgain(test, "c-001");
    const { benefits } = (await get("/v1/me/benefits")).json();
    const loan = benefits.find(
      (benefit: { benefitId: string }) => benefit.benefitId === "loan_discount",
    );
    expect(loan).toMatchObject({
      eligible: false,
      ratingMin: "AAA",
      heldDays: 42,
      requiredDays: 180,
      progress: "AAA held 42 of 180 days",
    });
    const rental = benefits.find((benefit: { requiredDays: number }) => benefit.requiredDays === 0);
    expect(rental).toMatchObject({ eligible: true, progress: "A or better held now" });
  });

  it("words progress for every kind of programme", () => {
    expect(
      benefitProgress({ ratingMin: "AA", heldDays: 400, requiredDays: 180, eligible: true }),
    ).toBe("AA or better held 180 of 180 days");
    expect(benefitProgress({ ratingMin: "A", heldDays: 0, requiredDays: 0, eligible: false })).toBe(
      "A or better not held now",
    );
  });
});
