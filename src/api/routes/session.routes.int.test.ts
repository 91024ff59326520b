import { afterEach, describe, expect, it } from "vitest";
import { days } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, issueCode, passphrase, signIn } from "../../test-support/citizen.js";
import { signInsPerMinuteMax } from "../app.js";
import { sessionCookieName } from "../auth/session.js";

let test: TestApp;
afterEach(async () => {
  await test.close();
});

async function openWithCitizen(options: { liveRateLimits?: boolean; trustProxy?: boolean } = {}) {
  test = await openTestApp(options);
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
}

describe("POST /v1/activate", () => {
  it("sets the passphrase with the one-time code, once", async () => {
    await openWithCitizen();
    const activationCode = await issueCode(test, "c-001");
    const body = { subjectId: "c-001", activationCode: activationCode.toLowerCase(), passphrase };
    const activated = await call(test, "POST", "/v1/activate", { body });
    expect(activated.statusCode).toBe(200);
    expect(activated.json()).toMatchObject({ subjectId: "c-001" });
    const account = await test.store.account("c-001");
    expect(account?.passphraseHash).toMatch(/^scrypt\$/);
    expect(account?.passphraseHash).not.toContain(passphrase);
    const again = await call(test, "POST", "/v1/activate", { body });
    expect(problemOf(again).code).toBe("unauthenticated");
  });

  it("lets exactly one of two racing activations with one code set the passphrase", async () => {
    await openWithCitizen();
    const activationCode = await issueCode(test, "c-001");
    const attempt = (chosen: string) =>
      call(test, "POST", "/v1/activate", {
        body: { subjectId: "c-001", activationCode, passphrase: chosen },
      });
    const responses = await Promise.all([
      attempt(passphrase),
      attempt("another passphrase, also long"),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 401]);
  });

  it("answers an unknown subject, a wrong code and an expired code alike", async () => {
    await openWithCitizen();
    const activationCode = await issueCode(test, "c-001");
    const attempts = [
      { subjectId: "c-404", activationCode, passphrase },
      { subjectId: "c-002", activationCode, passphrase },
      { subjectId: "c-001", activationCode: "AAAA-BBBB-CCCC-DDDD", passphrase },
    ];
    const details = new Set<string>();
    for (const body of attempts) {
      const response = await call(test, "POST", "/v1/activate", { body });
      details.add(JSON.stringify(problemOf(response)));
    }
    test.clock.now += days(31);
    const expired = await call(test, "POST", "/v1/activate", {
      body: { subjectId: "c-001", activationCode, passphrase },
    });
    details.add(JSON.stringify(problemOf(expired)));
    expect(details.size).toBe(1);
    expect(JSON.parse([...details][0] as string)).toMatchObject({
      status: 401,
      code: "unauthenticated",
      detail: "the activation code is invalid, spent or expired",
      reason: "invalid_activation_code",
    });
  });

  it("refuses a passphrase shorter than 12 characters", async () => {
    await openWithCitizen();
    const activationCode = await issueCode(test, "c-001");
    const response = await call(test, "POST", "/v1/activate", {
      body: { subjectId: "c-001", activationCode, passphrase: "too short" },
    });
    expect(problemOf(response).code).toBe("validation_failed");
  });
});

describe("POST /v1/session", () => {
  it("answers a bearer token and sets an HttpOnly, SameSite=Strict cookie", async () => {
    await openWithCitizen();
    await signIn(test, "c-001");
    const response = await call(test, "POST", "/v1/session", {
      body: { subjectId: "c-001", passphrase },
    });
    expect(response.statusCode).toBe(200);
    const session = response.json();
    expect(session).toMatchObject({ tokenType: "Bearer", subjectId: "c-001" });
    expect(session.token).toMatch(/^ccs_/);
    const cookie = String(response.headers["set-cookie"]);
    expect(cookie).toContain(`${sessionCookieName}=${session.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const me = await call(test, "GET", "/v1/me", { key: session.token });
    expect(me.json().subjectId).toBe("c-001");
    const byCookie = await test.app.inject({
      method: "GET",
      url: "/v1/me",
      cookies: { [sessionCookieName]: session.token },
    });
    expect(byCookie.json().subjectId).toBe("c-001");
  });

  it.each([
    { trustProxy: true, secure: true },
    { trustProxy: false, secure: false },
  ])("marks the cookie Secure behind a trusted TLS proxy only: $trustProxy", async (setting) => {
    await openWithCitizen({ trustProxy: setting.trustProxy });
    await signIn(test, "c-001");
    const response = await test.app.inject({
      method: "POST",
      url: "/v1/session",
      headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" },
      payload: { subjectId: "c-001", passphrase },
    });
    expect(response.statusCode).toBe(200);
    expect(/; Secure/.test(String(response.headers["set-cookie"]))).toBe(setting.secure);
  });

  it("answers an unknown subject, an inactive account and a wrong passphrase alike", async () => {
    await openWithCitizen();
    await signIn(test, "c-001");
    const attempts = [
      { subjectId: "c-404", passphrase },
      { subjectId: "c-002", passphrase },
      { subjectId: "c-001", passphrase: "not the passphrase" },
    ];
    const answers = new Set<string>();
    for (const body of attempts) {
      const response = await call(test, "POST", "/v1/session", { body });
      expect(response.headers["set-cookie"]).toBeUndefined();
      answers.add(JSON.stringify(problemOf(response)));
    }
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0] as string)).toEqual({
      type: "urn:civic-credit:error:unauthenticated",
      title: "Credentials are missing or invalid",
      status: 401,
      code: "unauthenticated",
      detail: "the subject id or the passphrase is wrong",
      reason: "wrong_credentials",
    });
  });

  it(`allows ${signInsPerMinuteMax} attempts per minute per address`, async () => {
    await openWithCitizen({ liveRateLimits: true });
    const responses = [];
    for (let attempt = 0; attempt <= signInsPerMinuteMax; attempt++) {
      const response = await call(test, "POST", "/v1/session", {
        body: { subjectId: "c-001", passphrase: `guess number ${attempt}` },
      });
      responses.push(response);
    }
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.slice(0, signInsPerMinuteMax).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = responses.at(-1);
    if (!limited) throw new Error("no answer");
    const problem = problemOf(limited);
    expect(problem).toMatchObject({
      code: "rate_limited",
      detail: "too many requests; retry later",
      reason: "too_many_sign_ins",
      attemptsMax: signInsPerMinuteMax,
    });
    expect(problem.retryAfterSeconds).toBeGreaterThan(0);
    expect(problem.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(String(problem.retryAfterSeconds)).toBe(limited.headers["retry-after"]);
  });
});

describe("DELETE /v1/session", () => {
  it("clears the cookie, even a stale one", async () => {
    await openWithCitizen();
    const token = await signIn(test, "c-001");
    test.clock.now += days(2);
    const response = await test.app.inject({
      method: "DELETE",
      url: "/v1/session",
      cookies: { [sessionCookieName]: token },
    });
    expect(response.statusCode).toBe(204);
    expect(String(response.headers["set-cookie"])).toMatch(
      new RegExp(`${sessionCookieName}=;.*Expires=Thu, 01 Jan 1970`),
    );
    // A stale cookie does not stand in the way of signing in again.
    const again = await test.app.inject({
      method: "POST",
      url: "/v1/session",
      payload: { subjectId: "c-001", passphrase },
      cookies: { [sessionCookieName]: token },
    });
    expect(again.statusCode).toBe(200);
  });

  it("an expired bearer token is refused", async () => {
    await openWithCitizen();
    const token = await signIn(test, "c-001");
    test.clock.now += days(1);
    expect(problemOf(await call(test, "GET", "/v1/me", { key: token }))).toMatchObject({
      code: "unauthenticated",
      detail: "the session is invalid or has expired",
      reason: "session_invalid",
    });
  });

  it("a stale cookie counts as no session: the citizen's routes ask for credentials", async () => {
    await openWithCitizen();
    const token = await signIn(test, "c-001");
    test.clock.now += days(1);
    const response = await test.app.inject({
      method: "GET",
      url: "/v1/me",
      cookies: { [sessionCookieName]: token },
    });
    expect(problemOf(response)).toMatchObject({
      code: "unauthenticated",
      detail: "this route needs credentials",
      reason: "credentials_missing",
    });
  });
});
