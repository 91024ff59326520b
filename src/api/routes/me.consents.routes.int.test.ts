import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, signIn, signInAgain } from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let neighbour: string;
let bankKey: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
  citizen = await signIn(test, "c-001");
  neighbour = await signIn(test, "c-002");
  bankKey = await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
  await test.addPartner({ name: "tax-office", kind: "authority", purposes: ["public_task"] });
});
afterEach(async () => {
  await test.close();
});

const inDays = (count: number) => formatInstant(test.clock.now + days(count));

function grant(body: Record<string, unknown>, key = citizen) {
  return call(test, "POST", "/v1/me/consents", { key, body });
}

describe("/v1/me/consents", () => {
  it("grants, lists and revokes a consent", async () => {
    const granted = await grant({ partner: "bank", purpose: "credit", until: inDays(90) });
    expect(granted.statusCode).toBe(201);
    const consent = granted.json();
    expect(consent).toMatchObject({
      partner: "bank",
      purpose: "credit",
      state: "live",
      grantedAt: formatInstant(test.clock.now),
      until: inDays(90),
    });
    const listed = (await call(test, "GET", "/v1/me/consents", { key: citizen })).json();
    expect(listed.consents).toEqual([consent]);
    const revoked = await call(test, "DELETE", `/v1/me/consents/${consent.id}`, { key: citizen });
    expect(revoked.statusCode).toBe(204);
    test.clock.now += 1;
    const after = (await call(test, "GET", "/v1/me/consents", { key: citizen })).json();
    expect(after.consents[0].state).toBe("revoked");
    const again = await call(test, "DELETE", `/v1/me/consents/${consent.id}`, { key: citizen });
    expect(problemOf(again)).toMatchObject({
      code: "not_found",
      detail: `you have no live consent ${consent.id}`,
      reason: "unknown_consent",
      consentId: consent.id,
    });
  });

  it("shows an expired consent as expired", async () => {
    await grant({ partner: "bank", purpose: "credit", until: inDays(1) });
    test.clock.now += days(2);
    citizen = await signInAgain(test, "c-001");
    const listed = (await call(test, "GET", "/v1/me/consents", { key: citizen })).json();
    expect(listed.consents[0].state).toBe("expired");
  });

  it("refuses consents that could not mean anything", async () => {
    const refusals = [
      {
        body: { partner: "nobody", purpose: "credit", until: inDays(90) },
        problem: {
          detail: "there is no partner named 'nobody'",
          reason: "unknown_partner",
          partner: "nobody",
        },
      },
      {
        body: { partner: "bank", purpose: "tenancy", until: inDays(90) },
        problem: {
          detail: "partner 'bank' has not declared the purpose 'tenancy'; it declared credit",
          reason: "purpose_not_declared",
          partner: "bank",
          purpose: "tenancy",
          declaredPurposes: ["credit"],
        },
      },
      {
        body: { partner: "tax-office", purpose: "public_task", until: inDays(90) },
        problem: {
          detail: "authorities acting on 'public_task' need no consent; none can be given",
          reason: "public_task_needs_no_consent",
        },
      },
      {
        body: { partner: "bank", purpose: "credit", until: inDays(-1) },
        problem: { detail: "`until` must be in the future", reason: "until_not_in_future" },
      },
      {
        body: { partner: "bank", purpose: "credit", until: inDays(366) },
        problem: {
          detail: "a consent may last at most 365 days",
          reason: "consent_too_long",
          daysMax: 365,
        },
      },
    ];
    for (const { body, problem } of refusals) {
      // Exactly the reason and its facts beside the English detail: nothing else rides along.
      expect(problemOf(await grant(body))).toEqual({
        type: "urn:civic-credit:error:unprocessable",
        title: "The request was understood but refused",
        status: 422,
        code: "unprocessable",
        ...problem,
      });
    }
    for (const body of [
      { partner: "bank", purpose: "gossip", until: inDays(90) },
      { partner: "bank", purpose: "credit", until: "next year" },
      { partner: "bank", purpose: "credit" },
    ]) {
      expect(problemOf(await grant(body)).code).toBe("validation_failed");
    }
    expect((await test.store.consents("c-001")).length).toBe(0);
  });

  it("granting again replaces the live consent, so revoking the one shown ends the partner's access", async () => {
    const ask = () =>
      call(test, "POST", "/v1/inquiries", {
        key: bankKey,
        body: { subjectId: "c-001", purpose: "credit", disclosure: "score" },
      });
    const first = (await grant({ partner: "bank", purpose: "credit", until: inDays(90) })).json();
    test.clock.now += 1_000;
    const second = (await grant({ partner: "bank", purpose: "credit", until: inDays(180) })).json();
    test.clock.now += 1_000;
    const listed = (await call(test, "GET", "/v1/me/consents", { key: citizen })).json();
    expect(
      listed.consents.map(({ id, state }: { id: number; state: string }) => ({ id, state })),
    ).toEqual([
      { id: second.id, state: "live" },
      { id: first.id, state: "revoked" },
    ]);
    expect((await ask()).statusCode).toBe(200);
    const revoked = await call(test, "DELETE", `/v1/me/consents/${second.id}`, { key: citizen });
    expect(revoked.statusCode).toBe(204);
    test.clock.now += 1_000;
    expect(problemOf(await ask())).toMatchObject({ code: "consent_required" });
  });

  it("does not revoke an expired consent: it stays expired", async () => {
    const consent = (await grant({ partner: "bank", purpose: "credit", until: inDays(10) })).json();
    test.clock.now += days(11);
    const key = await signInAgain(test, "c-001");
    const response = await call(test, "DELETE", `/v1/me/consents/${consent.id}`, { key });
    expect(problemOf(response)).toMatchObject({ reason: "unknown_consent", consentId: consent.id });
    const listed = (await call(test, "GET", "/v1/me/consents", { key })).json();
    expect(listed.consents[0].state).toBe("expired");
  });

  it("does not let a citizen revoke someone else's consent", async () => {
    const consent = (await grant({ partner: "bank", purpose: "credit", until: inDays(90) })).json();
    const response = await call(test, "DELETE", `/v1/me/consents/${consent.id}`, {
      key: neighbour,
    });
    expect(problemOf(response)).toMatchObject({ reason: "unknown_consent", consentId: consent.id });
    expect((await test.store.consents("c-001"))[0]?.revokedAt).toBeUndefined();
  });
});
