import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, openTestApp, problemOf, type TestApp } from "../test-support/api.js";
import { signIn } from "../test-support/citizen.js";
import { temporaryFolder } from "../test-support/ledger.js";
import { bodyBytesMax } from "./app.js";

/** Problems that say what to change: the media type, the limit, the role, the field, the method. */
let test: TestApp;
let bank: string;
let citizen: string;
beforeAll(async () => {
  test = await openTestApp();
  await test.enroll([{ id: "c-001", region: "north" }]);
  bank = await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
  citizen = await signIn(test, "c-001");
});
afterAll(() => test.close());

function ask(payload: string, headers: Record<string, string>) {
  return test.app.inject({
    method: "POST",
    url: "/v1/inquiries",
    headers: { ...bearer(bank), ...headers },
    payload,
  });
}

const question = { subjectId: "c-001", purpose: "credit", disclosure: "rating" };

function firstIssueMessage(response: Awaited<ReturnType<typeof ask>>): string {
  const [issue] = problemOf(response).issues as Array<{ path: string; message: string }>;
  return issue?.message ?? "";
}

describe("a body the route cannot take", () => {
  it("415 names the media type received and the one needed", async () => {
    const response = await ask("subjectId=c-001", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(problemOf(response)).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(problemOf(response).detail).toBe(
      `the body's Content-Type is "application/x-www-form-urlencoded"; send the body as JSON with Content-Type: application/json`,
    );
  });

  it("413 states the limit in bytes and MiB", async () => {
    const response = await ask(`{"subjectId":"${"x".repeat(bodyBytesMax)}"}`, {
      "content-type": "application/json",
    });
    expect(problemOf(response)).toMatchObject({
      status: 413,
      code: "payload_too_large",
      detail: `the request body is larger than the limit of ${bodyBytesMax} bytes (16 MiB)`,
      bodyBytesMax,
    });
  });
});

describe("a caller in another role", () => {
  it("403 names the roles the route accepts", async () => {
    const response = await test.app.inject({
      method: "POST",
      url: "/v1/inquiries",
      headers: bearer(citizen),
      payload: question,
    });
    expect(problemOf(response)).toMatchObject({
      status: 403,
      code: "forbidden",
      detail: "the role 'subject' may not use this route; it accepts 'partner'",
      acceptedRoles: ["partner"],
    });
  });
});

describe("a body that does not match its schema", () => {
  it("says a missing field is required, with what it expects", async () => {
    const { purpose: _, ...withoutPurpose } = question;
    const response = await ask(JSON.stringify(withoutPurpose), {
      "content-type": "application/json",
    });
    const problem = problemOf(response);
    expect(problem).toMatchObject({ status: 400, code: "validation_failed" });
    expect(problem.detail).toMatch(/^body \/purpose: required: one of "credit", "insurance", /);
    expect(problem.issues).toEqual([{ path: "/purpose", message: problem.detail.slice(15) }]);
    const noSubject = await ask(JSON.stringify({ purpose: "credit", disclosure: "rating" }), {
      "content-type": "application/json",
    });
    expect(problemOf(noSubject).issues).toEqual([
      { path: "/subjectId", message: "required: expected string" },
    ]);
  });

  it("keeps zod's words for a field that is there but wrong, and a rule's own message", async () => {
    const wrong = await ask(JSON.stringify({ ...question, purpose: "gossip" }), {
      "content-type": "application/json",
    });
    expect(firstIssueMessage(wrong)).toMatch(/^Invalid option: expected one of/);
    const nullPurpose = await ask(JSON.stringify({ ...question, purpose: null }), {
      "content-type": "application/json",
    });
    expect(firstIssueMessage(nullPurpose)).not.toMatch(/required/);
    const eligibility = await ask(JSON.stringify({ ...question, disclosure: "eligibility" }), {
      "content-type": "application/json",
    });
    expect(problemOf(eligibility).issues).toEqual([
      { path: "/benefitId", message: "an eligibility question names its `benefitId`" },
    ]);
  });

  it("says so for a missing member inside a list, and in a query", async () => {
    const source = await test.addSource("police", "agency", ["traffic.*"]);
    const events = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(source),
      payload: {},
    });
    expect(problemOf(events).issues).toEqual([
      { path: "/events", message: "required: expected array" },
    ]);
    const reviewer = await test.keyFor("reviewer", "rita");
    const limit = await test.app.inject({
      method: "GET",
      url: "/v1/reviews?limit=0",
      headers: bearer(reviewer),
    });
    expect(firstIssueMessage(limit)).not.toMatch(/required/);
  });
});

describe("a method the path does not answer", () => {
  it("405 with Allow for a path that exists; 404 for one that does not", async () => {
    const put = await test.app.inject({ method: "PUT", url: "/v1/me", headers: bearer(citizen) });
    expect(problemOf(put)).toMatchObject({
      status: 405,
      code: "method_not_allowed",
      detail: "/v1/me does not answer PUT; it answers GET, HEAD",
    });
    expect(put.headers.allow).toBe("GET, HEAD");
    const withParameter = await test.app.inject({ method: "PATCH", url: "/v1/me/entries/7?x=1" });
    expect(withParameter.statusCode).toBe(405);
    expect(withParameter.headers.allow).toBe("GET, HEAD");
    const events = await test.app.inject({ method: "GET", url: "/v1/events" });
    expect(events.statusCode).toBe(405);
    expect(events.headers.allow).toBe("POST");
    const session = await test.app.inject({ method: "PUT", url: "/v1/session" });
    expect(session.headers.allow).toBe("DELETE, POST");
    for (const url of ["/v1/nowhere", "/v1/me/", "/v1/me/entries/7/other", "/v1/rulebooksx"]) {
      const missing = await test.app.inject({ method: "PUT", url });
      expect(problemOf(missing), url).toMatchObject({ status: 404, code: "not_found" });
      expect(missing.headers.allow, url).toBeUndefined();
    }
  });

  it("answers the same beside the web app, whose pages take only GET", async () => {
    const webRoot = temporaryFolder("error-handler-web");
    writeFileSync(join(webRoot.path, "index.html"), "<!doctype html><title>web app</title>");
    const withWebApp = await openTestApp({ webRoot: webRoot.path });
    try {
      const inject = (method: "GET" | "PUT", url: string) => withWebApp.app.inject({ method, url });
      const put = await inject("PUT", "/v1/me");
      expect(put.statusCode).toBe(405);
      expect(put.headers.allow).toBe("GET, HEAD");
      const get = await inject("GET", "/v1/events");
      expect(problemOf(get)).toMatchObject({ status: 405, code: "method_not_allowed" });
      expect(get.headers.allow).toBe("POST");
      expect(problemOf(await inject("GET", "/v1/nowhere")).status).toBe(404);
      expect(problemOf(await inject("PUT", "/history")).status).toBe(404);
      expect((await inject("GET", "/history")).statusCode).toBe(200);
    } finally {
      await withWebApp.close();
      webRoot.remove();
    }
  });
});

describe("a caller over the general rate limit", () => {
  it("429 says how many requests a minute are allowed and when to retry", async () => {
    const limited = await openTestApp({ requestsPerMinute: 3 });
    try {
      const ask = () => limited.app.inject({ method: "GET", url: "/v1/rulebook" });
      for (let request = 0; request < 3; request++) expect((await ask()).statusCode).toBe(200);
      const refused = await ask();
      expect(refused.statusCode).toBe(429);
      const retryAfter = Number(refused.headers["retry-after"]);
      expect(problemOf(refused)).toMatchObject({
        code: "rate_limited",
        reason: "too_many_requests",
        requestsMax: 3,
        retryAfterSeconds: retryAfter,
      });
      expect(retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
