import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, signIn, signInAgain } from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let neighbour: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
  citizen = await signIn(test, "c-001");
  neighbour = await signIn(test, "c-002");
  await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
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
    expect(problemOf(again).code).toBe("not_found");
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
      { partner: "nobody", purpose: "credit", until: inDays(90) },
      { partner: "bank", purpose: "tenancy", until: inDays(90) },
      { partner: "tax-office", purpose: "public_task", until: inDays(90) },
      { partner: "bank", purpose: "credit", until: inDays(-1) },
      { partner: "bank", purpose: "credit", until: inDays(366) },
    ];
    for (const body of refusals) {
      expect(problemOf(await grant(body)).code).toBe("unprocessable");
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

  it("does not let a citizen revoke someone else's consent", async () => {
    const consent = (await grant({ partner: "bank", purpose: "credit", until: inDays(90) })).json();
    const response = await call(test, "DELETE", `/v1/me/consents/${consent.id}`, {
      key: neighbour,
    });
    expect(problemOf(response).code).toBe("not_found");
    expect((await test.store.consents("c-001"))[0]?.revokedAt).toBeUndefined();
  });
});
