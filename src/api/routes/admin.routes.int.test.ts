import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bearer, openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { defaultRulebookText } from "../../test-support/core.js";
import { bodyBytesMax } from "../app.js";
import { activationCodeHash } from "../auth/secrets.js";

let test: TestApp;
beforeEach(async () => {
  test = await openTestApp();
});
afterEach(() => test.close());

function asAdmin(method: "GET" | "POST" | "DELETE", url: string, payload?: object) {
  return test.app.inject({ method, url, headers: bearer(test.adminKey), payload });
}

async function auditActions(): Promise<string[]> {
  return (await test.store.auditLog(100)).map((record) => record.action);
}

describe("POST /v1/subjects", () => {
  it("enrolls in bulk and shows each activation code once, storing only its hash", async () => {
    const response = await asAdmin("POST", "/v1/subjects", {
      subjects: [
        { id: "c-001", region: "north" },
        { id: "c-002", region: "south" },
      ],
    });
    expect(response.statusCode).toBe(200);
    const [first, second] = response.json().subjects;
    expect(first).toMatchObject({ id: "c-001", outcome: "enrolled", activation: "issued" });
    expect(first.activationCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(first.activationCode).not.toBe(second.activationCode);
    expect(Date.parse(first.activationExpiresAt) - test.clock.now).toBe(30 * 86_400_000);
    const account = await test.store.account("c-001");
    expect(account?.activationCodeHash).toBe(activationCodeHash(first.activationCode));
    expect((await test.store.storedScore("c-002"))?.score).toBe(1000);
    const [audit] = await test.store.auditLog(1);
    expect(audit).toMatchObject({ actor: "admin", action: "subjects.enroll" });
    expect(JSON.stringify(audit)).not.toContain(first.activationCode);
  });

  it("issues a fresh code to an enrolled subject who has not activated yet", async () => {
    const body = { subjects: [{ id: "c-001", region: "north" }] };
    const first = (await asAdmin("POST", "/v1/subjects", body)).json().subjects[0];
    const again = (await asAdmin("POST", "/v1/subjects", body)).json().subjects[0];
    expect(again).toMatchObject({ outcome: "already_enrolled", activation: "issued" });
    expect(again.activationCode).not.toBe(first.activationCode);
    expect((await test.store.account("c-001"))?.activationCodeHash).toBe(
      activationCodeHash(again.activationCode),
    );
  });

  it("gives a code the person can activate with, once; then issues none", async () => {
    const body = { subjects: [{ id: "c-001", region: "north" }] };
    const code = (await asAdmin("POST", "/v1/subjects", body)).json().subjects[0].activationCode;
    const activated = await test.app.inject({
      method: "POST",
      url: "/v1/activate",
      payload: {
        subjectId: "c-001",
        activationCode: code.toLowerCase(),
        passphrase: "correct horse battery staple",
      },
    });
    expect(activated.statusCode).toBe(200);
    const again = (await asAdmin("POST", "/v1/subjects", body)).json().subjects[0];
    expect(again).toEqual({
      id: "c-001",
      outcome: "already_enrolled",
      activation: "already_active",
    });
  });

  it("refuses bad rows, repeated ids and unknown fields as a whole", async () => {
    for (const subjects of [
      [{ id: "has space", region: "north" }],
      [{ id: "c-1", region: "north", name: "Ann" }],
      [
        { id: "c-1", region: "north" },
        { id: "c-1", region: "south" },
      ],
      [],
    ]) {
      const response = await asAdmin("POST", "/v1/subjects", { subjects });
      expect(problemOf(response)).toMatchObject({ status: 400, code: "validation_failed" });
    }
    expect((await test.store.counts()).subjects).toBe(0);
  });
});

describe("sources, partners and credentials", () => {
  it("adds a source, issues its key once, and the key reports events", async () => {
    const added = await asAdmin("POST", "/v1/sources", {
      name: "police",
      kind: "agency",
      allowedTypes: ["traffic.*", "weather.*"],
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name: "police", kind: "agency" });
    expect(added.json().warnings).toEqual([
      "no rule of the current rulebook has a type matching 'weather.*'",
    ]);
    expect(added.json().unmatchedTypes).toEqual(["weather.*"]);
    const taken = await asAdmin("POST", "/v1/sources", {
      name: "police",
      kind: "camera",
      allowedTypes: ["traffic.*"],
    });
    expect(problemOf(taken)).toMatchObject({ status: 409, code: "conflict" });

    const issued = await asAdmin("POST", "/v1/credentials", {
      role: "source",
      principal: "police",
    });
    expect(issued.statusCode).toBe(201);
    const credential = issued.json();
    expect(credential.key).toMatch(/^cck_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(credential).toMatchObject({ role: "source", principal: "police", revokedAt: null });
    const stored = await test.store.credential(credential.keyId);
    expect(stored?.secretHash).not.toContain(credential.key.slice(17));

    const listed = (await asAdmin("GET", "/v1/credentials")).json().credentials;
    expect(JSON.stringify(listed)).not.toContain(credential.key);
    expect(listed.map((entry: { keyId: string }) => entry.keyId)).toContain(credential.keyId);

    await test.enroll([{ id: "c-001", region: "north" }]);
    const reported = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(credential.key),
      payload: {
        events: [
          {
            id: "e-1",
            subject: "c-001",
            type: "traffic.jaywalking",
            occurredAt: "2026-05-01T10:00:00Z",
            evidence: { description: "Officer's report" },
          },
        ],
      },
    });
    expect(reported.json().counts.accepted).toBe(1);
    const audit = await test.store.auditLog(10);
    expect(audit.map((record) => record.action)).toEqual(["credential.create", "source.add"]);
    expect(JSON.stringify(audit)).not.toContain(credential.key);
  });

  it("refuses a key for a source or partner that does not exist", async () => {
    for (const role of ["source", "partner"]) {
      const response = await asAdmin("POST", "/v1/credentials", { role, principal: "ghost" });
      expect(problemOf(response)).toMatchObject({ status: 422, code: "unprocessable" });
    }
    const admin = await asAdmin("POST", "/v1/credentials", { role: "admin", principal: "eve" });
    expect(problemOf(admin)).toMatchObject({ status: 400, code: "validation_failed" });
    const reviewer = await asAdmin("POST", "/v1/credentials", {
      role: "reviewer",
      principal: "rita",
    });
    expect(reviewer.statusCode).toBe(201);
  });

  it("adds partners; only an authority may declare public_task", async () => {
    const bank = await asAdmin("POST", "/v1/partners", {
      name: "city-bank",
      kind: "bank",
      purposes: ["credit"],
    });
    expect(bank.statusCode).toBe(201);
    expect(bank.json()).toMatchObject({ name: "city-bank", kind: "bank", purposes: ["credit"] });
    const sneaky = await asAdmin("POST", "/v1/partners", {
      name: "sneaky-bank",
      kind: "bank",
      purposes: ["credit", "public_task"],
    });
    expect(problemOf(sneaky)).toMatchObject({ status: 400, code: "validation_failed" });
    const authority = await asAdmin("POST", "/v1/partners", {
      name: "tax-office",
      kind: "authority",
      purposes: ["public_task"],
    });
    expect(authority.statusCode).toBe(201);
    const again = await asAdmin("POST", "/v1/partners", {
      name: "city-bank",
      kind: "bank",
      purposes: ["credit"],
    });
    expect(problemOf(again)).toMatchObject({ status: 409, code: "conflict" });
    const listed = (await asAdmin("GET", "/v1/partners")).json().partners;
    expect(listed.map((partner: { name: string }) => partner.name).sort()).toEqual([
      "city-bank",
      "tax-office",
    ]);
    expect(await auditActions()).toEqual(["partner.add", "partner.add"]);
  });

  it("revokes a key at once; not twice, not an unknown one, not the caller's own", async () => {
    const key = await test.addSource("police", "agency", ["traffic.*"]);
    const keyId = key.slice(4, 16);
    const revoked = await asAdmin("DELETE", `/v1/credentials/${keyId}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toBe(new Date(test.clock.now).toISOString());
    const refused = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(key),
      payload: { events: [] },
    });
    expect(problemOf(refused)).toMatchObject({ status: 401 });
    const twice = await asAdmin("DELETE", `/v1/credentials/${keyId}`);
    expect(problemOf(twice)).toMatchObject({ status: 409, code: "conflict" });
    const unknown = await asAdmin("DELETE", `/v1/credentials/${"A".repeat(12)}`);
    expect(problemOf(unknown)).toMatchObject({ status: 404, code: "not_found" });
    const malformed = await asAdmin("DELETE", "/v1/credentials/short");
    expect(problemOf(malformed)).toMatchObject({ status: 400, code: "validation_failed" });
    const own = await asAdmin("DELETE", `/v1/credentials/${test.adminKey.slice(4, 16)}`);
    expect(problemOf(own)).toMatchObject({ status: 409, code: "conflict" });
    expect(await auditActions()).toEqual(["credential.revoke"]);
  });
});

describe("POST /v1/rulebooks", () => {
  it("publishes a compiled rulebook as the next version", async () => {
    const text = defaultRulebookText.replace(/points: -10\b/, "points: -12");
    const response = await asAdmin("POST", "/v1/rulebooks", { text });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ version: 2, publishedBy: "admin" });
    expect((await test.store.currentRulebook())?.version).toBe(2);
    const [audit] = await test.store.auditLog(1);
    expect(audit).toMatchObject({ action: "rulebook.publish", target: "rulebook:2" });
  });

  it("refuses a rulebook with problems, with the compiler's located messages", async () => {
    const text = defaultRulebookText.replace("category: traffic", "category: religion");
    const response = await asAdmin("POST", "/v1/rulebooks", { text });
    const problem = problemOf(response);
    expect(problem).toMatchObject({ status: 422, code: "unprocessable" });
    const [first] = problem.problems as { line: number; path: string; message: string }[];
    expect(first?.path).toMatch(/^rules\[\d+\]\.category$/);
    expect(first?.message).toMatch(/forbidden special category/);
    expect(first?.line).toBeGreaterThan(1);
    expect((await test.store.currentRulebook())?.version).toBe(1);
    expect(await auditActions()).toEqual(["rulebook.refuse"]);
    const yaml = await asAdmin("POST", "/v1/rulebooks", { text: "rules: [" });
    expect(problemOf(yaml).status).toBe(422);
  });
});

describe("GET /v1/statistics and /v1/audit", () => {
  it("answers the aggregates and the audit log, newest first", async () => {
    await test.enroll([
      { id: "c-001", region: "north" },
      { id: "c-002", region: "north" },
    ]);
    const statistics = await asAdmin("GET", "/v1/statistics");
    expect(statistics.statusCode).toBe(200);
    expect(statistics.json().counts).toEqual({ subjects: 2, sources: 0, entries: 0 });
    expect(statistics.json().ratingsByRegion).toContainEqual({
      region: "north",
      rating: "A",
      subjects: 2,
    });
    await asAdmin("POST", "/v1/sources", { name: "a", kind: "agency", allowedTypes: ["*"] });
    await asAdmin("POST", "/v1/sources", { name: "b", kind: "agency", allowedTypes: ["*"] });
    const audit = await asAdmin("GET", "/v1/audit?limit=1");
    expect(audit.json().entries).toHaveLength(1);
    expect(audit.json().entries[0]).toMatchObject({ action: "source.add", target: "source:b" });
    const bad = await asAdmin("GET", "/v1/audit?limit=0");
    expect(problemOf(bad)).toMatchObject({ status: 400, code: "validation_failed" });
  });
});

describe("admin routes refuse every other role", () => {
  const routes: ReadonlyArray<readonly ["GET" | "POST" | "DELETE", string, object?]> = [
    ["POST", "/v1/subjects", { subjects: [{ id: "c-9", region: "x" }] }],
    ["POST", "/v1/credentials", { role: "reviewer", principal: "r" }],
    ["GET", "/v1/credentials"],
    ["DELETE", `/v1/credentials/${"A".repeat(12)}`],
    ["POST", "/v1/sources", { name: "s", kind: "agency", allowedTypes: ["*"] }],
    ["GET", "/v1/sources"],
    ["POST", "/v1/partners", { name: "p", kind: "bank", purposes: ["credit"] }],
    ["GET", "/v1/partners"],
    ["POST", "/v1/rulebooks", { text: defaultRulebookText }],
    ["GET", "/v1/statistics"],
    ["GET", "/v1/audit"],
  ];

  it("answers 401 without a key and 403 with a source, partner or reviewer key", async () => {
    const keys = [
      await test.addSource("police", "agency", ["*"]),
      await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] }),
      await test.keyFor("reviewer", "rita"),
    ];
    for (const [method, url, payload] of routes) {
      const anonymous = await test.app.inject({ method, url, payload });
      expect(problemOf(anonymous).status, `${method} ${url}`).toBe(401);
      for (const key of keys) {
        const response = await test.app.inject({ method, url, payload, headers: bearer(key) });
        expect(problemOf(response).status, `${method} ${url}`).toBe(403);
      }
    }
    expect(await test.store.auditLog(10)).toEqual([]);
    expect((await test.store.currentRulebook())?.version).toBe(1);
  });

  it("refuses a caller without the role before reading the body: junk, wrong or huge", async () => {
    const source = await test.addSource("police", "agency", ["*"]);
    const bodies = [
      "{not json",
      JSON.stringify({ unexpected: true }),
      "x".repeat(17 * 1024 * 1024),
    ];
    for (const [method, url] of routes.filter(([method]) => method === "POST")) {
      for (const payload of bodies) {
        const headers = { "content-type": "application/json" };
        const anonymous = await test.app.inject({ method, url, payload, headers });
        expect(problemOf(anonymous).status, `${method} ${url}`).toBe(401);
        expect(anonymous.headers["www-authenticate"]).toBe('Bearer realm="civic-credit"');
        const wrongRole = await test.app.inject({
          method,
          url,
          payload,
          headers: { ...headers, ...bearer(source) },
        });
        expect(problemOf(wrongRole).status, `${method} ${url}`).toBe(403);
      }
    }
  });
});

describe("admin routes with a body refuse bad bodies", () => {
  it("answers 400 for malformed JSON, 415 for another media type, 413 above the limit", async () => {
    for (const url of [
      "/v1/subjects",
      "/v1/credentials",
      "/v1/sources",
      "/v1/partners",
      "/v1/rulebooks",
    ]) {
      const send = (contentType: string, payload: string) =>
        test.app.inject({
          method: "POST",
          url,
          headers: { ...bearer(test.adminKey), "content-type": contentType },
          payload,
        });
      expect(problemOf(await send("application/json", "{")).status, url).toBe(400);
      expect(problemOf(await send("text/yaml", "a: 1")).status, url).toBe(415);
      expect(problemOf(await send("application/x-www-form-urlencoded", "a=1")).status, url).toBe(
        415,
      );
      const large = `{"text":"${"x".repeat(bodyBytesMax)}"}`;
      expect(problemOf(await send("application/json", large)).status, url).toBe(413);
    }
    expect(await test.store.auditLog(10)).toEqual([]);
  });
});
