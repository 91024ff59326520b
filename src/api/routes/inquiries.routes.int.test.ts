import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, signIn } from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let bank: string;
let employer: string;
let authority: string;
let airline: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
  citizen = await signIn(test, "c-001");
  bank = await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
  employer = await test.addPartner({ name: "acme", kind: "employer", purposes: ["employment"] });
  authority = await test.addPartner({
    name: "tax-office",
    kind: "authority",
    purposes: ["public_task"],
  });
  airline = await test.addPartner({ name: "airline", kind: "airline", purposes: ["travel"] });
});
afterEach(async () => {
  await test.close();
});

async function consent(partner: string, purpose: string, untilDays = 90) {
  const response = await call(test, "POST", "/v1/me/consents", {
    key: citizen,
    body: { partner, purpose, until: formatInstant(test.clock.now + days(untilDays)) },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id as number;
}

function ask(key: string, body: Record<string, unknown>) {
  return call(test, "POST", "/v1/inquiries", { key, body });
}

async function inquiriesOfCitizen() {
  return (await call(test, "GET", "/v1/me/inquiries", { key: citizen })).json().inquiries;
}

describe("POST /v1/inquiries", () => {
  it("discloses the rating with a live consent, and the subject sees the inquiry", async () => {
    await consent("bank", "credit");
    const response = await ask(bank, {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "rating",
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({ subjectId: "c-001", rating: "A", legalGround: "consent" });
    expect(answer.score).toBeUndefined();
    const [seen] = await inquiriesOfCitizen();
    expect(seen).toMatchObject({
      id: answer.inquiryId,
      partner: "bank",
      partnerKind: "bank",
      purpose: "credit",
      allowed: true,
      disclosed: { rating: "A" },
    });
  });

  it("discloses only what was asked: the score, or a yes/no eligibility", async () => {
    await consent("bank", "credit");
    const score = await ask(bank, { subjectId: "c-001", purpose: "credit", disclosure: "score" });
    expect(score.json()).toMatchObject({ score: 1000 });
    expect(score.json().rating).toBeUndefined();
    const eligibility = await ask(bank, {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "eligibility",
      benefitId: "loan_discount",
    });
    expect(eligibility.json()).toMatchObject({ benefitId: "loan_discount", eligible: false });
    expect(Object.keys(eligibility.json())).not.toContain("entries");
  });

  it("refuses without consent (consent_required), logs the refusal, discloses nothing", async () => {
    const response = await ask(bank, {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "rating",
    });
    expect(problemOf(response)).toMatchObject({
      status: 403,
      code: "consent_required",
      refusal: "no_live_consent",
    });
    const [seen] = await inquiriesOfCitizen();
    expect(seen).toMatchObject({ allowed: false, refusal: "no_live_consent", disclosed: {} });
  });

  it("refuses a purpose the partner did not declare (forbidden), and logs it", async () => {
    await consent("bank", "credit");
    const response = await ask(bank, {
      subjectId: "c-001",
      purpose: "tenancy",
      disclosure: "rating",
    });
    expect(problemOf(response)).toMatchObject({
      code: "forbidden",
      refusal: "purpose_not_declared",
    });
    expect((await inquiriesOfCitizen())[0]).toMatchObject({ refusal: "purpose_not_declared" });
  });

  it("refuses a disclosure the purpose does not need", async () => {
    await test.store.grantConsent(
      "c-001",
      { partner: "airline", purpose: "travel", until: test.clock.now + days(10) },
      test.clock.now,
    );
    const response = await ask(airline, {
      subjectId: "c-001",
      purpose: "travel",
      disclosure: "score",
    });
    expect(problemOf(response)).toMatchObject({
      code: "forbidden",
      refusal: "disclosure_not_allowed_for_purpose",
    });
  });

  it("answers an unknown subject exactly like a subject without consent", async () => {
    const question = { purpose: "credit", disclosure: "rating" };
    const known = problemOf(await ask(bank, { ...question, subjectId: "c-002" }));
    const unknown = problemOf(await ask(bank, { ...question, subjectId: "c-999" }));
    expect(unknown).toEqual(known);
    expect(JSON.stringify(unknown)).not.toContain("c-999");
  });

  it("lets an authority ask on public_task without consent, and shows it to the subject", async () => {
    const response = await ask(authority, {
      subjectId: "c-001",
      purpose: "public_task",
      disclosure: "score",
    });
    expect(response.json()).toMatchObject({ legalGround: "public_task", score: 1000 });
    expect((await inquiriesOfCitizen())[0]).toMatchObject({
      partner: "tax-office",
      partnerKind: "authority",
      purpose: "public_task",
      allowed: true,
    });
    const unknown = await ask(authority, {
      subjectId: "c-999",
      purpose: "public_task",
      disclosure: "score",
    });
    expect(problemOf(unknown).code).toBe("not_found");
  });

  it("refuses an employment query on a consent older than 30 days", async () => {
    await consent("acme", "employment", 300);
    const question = { subjectId: "c-001", purpose: "employment", disclosure: "rating" };
    expect((await ask(employer, question)).statusCode).toBe(200);
    test.clock.now += days(31);
    expect(problemOf(await ask(employer, question))).toMatchObject({
      code: "consent_required",
      refusal: "employment_consent_too_old",
    });
  });

  it("refuses the next query once the consent is revoked", async () => {
    const consentId = await consent("bank", "credit");
    const question = { subjectId: "c-001", purpose: "credit", disclosure: "rating" };
    expect((await ask(bank, question)).statusCode).toBe(200);
    const revoked = await call(test, "DELETE", `/v1/me/consents/${consentId}`, { key: citizen });
    expect(revoked.statusCode).toBe(204);
    test.clock.now += 1;
    expect(problemOf(await ask(bank, question)).refusal).toBe("no_live_consent");
  });

  it("needs a benefitId for eligibility, and a benefit that exists", async () => {
    await consent("bank", "credit");
    const missing = await ask(bank, {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "eligibility",
    });
    expect(problemOf(missing).code).toBe("validation_failed");
    const unknown = await ask(bank, {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "eligibility",
      benefitId: "free_lunch",
    });
    expect(problemOf(unknown)).toMatchObject({ code: "unprocessable" });
    expect(problemOf(unknown).benefitIds).toContain("loan_discount");
  });

  it("is for partners only", async () => {
    const question = { subjectId: "c-001", purpose: "credit", disclosure: "rating" };
    expect(problemOf(await call(test, "POST", "/v1/inquiries", { body: question })).code).toBe(
      "unauthenticated",
    );
    expect(problemOf(await ask(citizen, question)).code).toBe("forbidden");
    expect(problemOf(await ask(test.adminKey, question)).code).toBe("forbidden");
    expect(await inquiriesOfCitizen()).toEqual([]);
  });
});
