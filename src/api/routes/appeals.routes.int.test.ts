import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, reportOne, signIn } from "../../test-support/citizen.js";

let test: TestApp;
let reviewer: string;
let police: string;
let citizen: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
  citizen = await signIn(test, "c-001");
  reviewer = await test.keyFor("reviewer", "rita");
  police = await test.addSource("police", "agency", ["traffic.*"]);
});
afterEach(async () => {
  await test.close();
});

async function appealedEntry(subjectKey = citizen, subject = "c-001") {
  const entryId = await reportOne(test, police, {
    subject,
    occurredAt: formatInstant(test.clock.now - 3_600_000),
  });
  const response = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
    key: subjectKey,
    body: { statement: "The light was green." },
  });
  return { entryId, appealId: response.json().id as number };
}

describe("GET /v1/appeals", () => {
  it("lists open appeals by deadline, with their entries", async () => {
    const first = await appealedEntry();
    test.clock.now += days(1);
    const second = await appealedEntry(await signIn(test, "c-002"), "c-002");
    const { appeals } = (await call(test, "GET", "/v1/appeals", { key: reviewer })).json();
    expect(appeals.map((appeal: { id: number }) => appeal.id)).toEqual([
      first.appealId,
      second.appealId,
    ]);
    expect(appeals[0]).toMatchObject({
      state: "open",
      statement: "The light was green.",
      entry: { id: first.entryId, subjectId: "c-001", status: "disputed", points: -10 },
    });
  });

  it("never lists an overdue appeal: it is decided for the subject first", async () => {
    await appealedEntry();
    test.clock.now += days(31);
    const { appeals } = (await call(test, "GET", "/v1/appeals", { key: reviewer })).json();
    expect(appeals).toEqual([]);
  });

  it("is for reviewers only", async () => {
    expect(problemOf(await call(test, "GET", "/v1/appeals", { key: citizen })).code).toBe(
      "forbidden",
    );
  });
});

describe("POST /v1/appeals/:id/decision", () => {
  it("reverses: the entry never counts again, and the decision names the reviewer", async () => {
    const { appealId, entryId } = await appealedEntry();
    const response = await call(test, "POST", `/v1/appeals/${appealId}/decision`, {
      key: reviewer,
      body: { outcome: "reversed", reason: "The camera log shows green." },
    });
    expect(response.json()).toMatchObject({
      id: appealId,
      state: "reversed",
      decidedBy: "rita",
      reason: "The camera log shows green.",
      decidedAtDeadline: false,
    });
    expect((await test.store.entry(entryId))?.status).toBe("reversed");
  });

  it("upholds: the entry counts again", async () => {
    const { appealId } = await appealedEntry();
    await call(test, "POST", `/v1/appeals/${appealId}/decision`, {
      key: reviewer,
      body: { outcome: "upheld", reason: "Two officers saw it." },
    });
    expect((await call(test, "GET", "/v1/me", { key: citizen })).json().score).toBe(990);
  });

  it("refuses to decide twice, an unknown appeal, or an overdue one", async () => {
    const { appealId } = await appealedEntry();
    const body = { outcome: "upheld", reason: "Seen." };
    const url = `/v1/appeals/${appealId}/decision`;
    await call(test, "POST", url, { key: reviewer, body });
    expect(problemOf(await call(test, "POST", url, { key: reviewer, body })).code).toBe("conflict");
    const unknown = await call(test, "POST", "/v1/appeals/999999/decision", {
      key: reviewer,
      body,
    });
    expect(problemOf(unknown).code).toBe("not_found");
    const late = await appealedEntry();
    test.clock.now += days(31);
    const overdue = await call(test, "POST", `/v1/appeals/${late.appealId}/decision`, {
      key: reviewer,
      body,
    });
    expect(problemOf(overdue).code).toBe("conflict");
  });
});
