/**
 * The authorisation matrix: every route of the app times every role, from one table. A cell is
 * either "allow" (the route's documented success status) or a denial with its exact status,
 * answered as problem+json. The routes are recorded as Fastify registers them, so a new route
 * the table does not list fails this file: no route escapes the matrix.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { days, formatInstant } from "../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../test-support/api.js";
import {
  call,
  conductEvent,
  issueCode,
  passphrase,
  reportOne,
  signIn,
} from "../test-support/citizen.js";
import { defaultRulebookText } from "../test-support/core.js";
import { temporaryFolder } from "../test-support/ledger.js";

/** Every route as Fastify registers it, `METHOD url` to its documented statuses. */
const registered = vi.hoisted(() => new Map<string, readonly string[]>());

// buildApp creates its own Fastify instance: wrap the factory to add an onRoute hook to it.
vi.mock("fastify", async (importOriginal) => {
  const actual = await importOriginal<typeof import("fastify")>();
  const factory = actual.default as unknown as (options?: object) => FastifyInstance;
  const recording = (options?: object) => {
    const instance = factory(options);
    instance.addHook("onRoute", (route: RouteOptions) => {
      const statuses = Object.keys((route.schema?.response as object | undefined) ?? {});
      for (const method of [route.method].flat())
        registered.set(`${method} ${route.url}`, statuses);
    });
    return instance;
  };
  return { ...actual, default: recording, fastify: recording };
});

const roles = [
  "anonymous",
  "citizen",
  "other citizen",
  "source",
  "partner with consent",
  "partner without consent",
  "authority",
  "reviewer",
  "admin",
] as const;
type Role = (typeof roles)[number];

/** The subject in question, and another enrolled person. */
const subject = "c-001";
const otherSubject = "c-002";

/** A cell: allowed, or denied with this status; `consent` is a 403 `consent_required`. */
type Outcome = "allow" | 401 | 403 | 404 | "consent";
const allow = "allow";
const consent = "consent";
type Denial = Exclude<Outcome, "allow">;
const denials: Readonly<Record<Denial, { status: number; code: string }>> = {
  401: { status: 401, code: "unauthenticated" },
  403: { status: 403, code: "forbidden" },
  404: { status: 404, code: "not_found" },
  consent: { status: 403, code: "consent_required" },
};

type World = Readonly<{
  test: TestApp;
  /** The bearer each role sends; none for anonymous. */
  keys: Readonly<Record<Role, string | undefined>>;
  police: string;
  camera: string;
}>;

/** One cell's request: a concrete url (for templates) and a body, both fresh and valid. */
type Input = Readonly<{
  url?: string;
  body?: unknown;
  /** Checks made after the request, e.g. that it left (or did not leave) a trace. */
  verify?: (response: LightMyRequestResponse) => Promise<void>;
}>;
type InputBuilder = (world: World, role: Role) => Promise<Input> | Input;

type Method = "GET" | "POST" | "DELETE";
type Row = Readonly<{
  method: Method | "HEAD";
  url: string;
  /** The status an allowed call answers, as the route documents it. */
  allowStatus: number;
  cells: Readonly<Record<Role, Outcome>>;
  input: InputBuilder | undefined;
}>;

let serial = 0;
const fresh = (prefix: string) => `${prefix}-${++serial}`;

// Input builders: each call makes new data, so every allowed cell truly succeeds.
const rulebookVersion1: InputBuilder = () => ({ url: "/v1/rulebooks/1" });
const docsAsset: InputBuilder = () => ({ url: "/docs/static/swagger-ui.css" });
/** A client route of the web app: answered with its index.html (see web-app.ts). */
const webAppPage: InputBuilder = () => ({ url: "/history" });
const rulebookText: InputBuilder = () => ({ body: { text: defaultRulebookText } });
const newEvent: InputBuilder = () => ({ body: { events: [conductEvent({ subject })] } });
const newSubject: InputBuilder = () => ({
  body: { subjects: [{ id: fresh("enrolled"), region: "north" }] },
});
const newReviewerKey: InputBuilder = () => ({
  body: { role: "reviewer", principal: fresh("reviewer") },
});
const revocableKey: InputBuilder = async ({ test }) => {
  const key = await test.keyFor("reviewer", fresh("revocable"));
  return { url: `/v1/credentials/${key.slice("cck_".length, "cck_".length + 12)}` };
};
const newSource: InputBuilder = () => ({
  body: { name: fresh("source"), kind: "agency", allowedTypes: ["traffic.*"] },
});
const newPartner: InputBuilder = () => ({
  body: { name: fresh("partner"), kind: "bank", purposes: ["credit"] },
});
const activation: InputBuilder = async ({ test }) => {
  const subjectId = fresh("activating");
  await test.enroll([{ id: subjectId, region: "north" }]);
  return { body: { subjectId, activationCode: await issueCode(test, subjectId), passphrase } };
};
const signInBody: InputBuilder = () => ({ body: { subjectId: subject, passphrase } });
const ownEntry: InputBuilder = async ({ test, police }) => ({
  url: `/v1/me/entries/${await reportOne(test, police, { subject })}`,
});
const appealOfOwnEntry: InputBuilder = async ({ test, police }) => ({
  url: `/v1/me/entries/${await reportOne(test, police, { subject })}/appeal`,
  body: { statement: "The light was green." },
});
const consentGrant: InputBuilder = ({ test }) => ({
  body: {
    partner: "landlord",
    purpose: "tenancy",
    until: formatInstant(test.clock.now + days(90)),
  },
});
const ownConsent: InputBuilder = async ({ test }) => {
  const { now } = test.clock;
  const grant = { partner: "landlord", purpose: "tenancy", until: now + days(90) } as const;
  const consent = await test.store.grantConsent(subject, grant, now);
  return { url: `/v1/me/consents/${consent.id}` };
};
const pendingReview: InputBuilder = async ({ test, camera }) => ({
  url: `/v1/reviews/${await reportOne(test, camera, { subject, confidence: 0.5 })}`,
  body: { decision: "confirm", reason: "the plate is legible" },
});
const openAppeal: InputBuilder = async ({ test, police, keys }) => {
  const entryId = await reportOne(test, police, { subject });
  const opened = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
    key: keys.citizen,
    body: { statement: "It was not me." },
  });
  if (opened.statusCode !== 201) throw new Error(`appeal not opened: ${opened.body}`);
  return {
    url: `/v1/appeals/${opened.json().id}/decision`,
    body: { outcome: "upheld", reason: "the evidence holds" },
  };
};

/** Every question a partner asks is an inquiry the subject sees, allowed or refused. */
const partnerRoles: readonly Role[] = [
  "partner with consent",
  "partner without consent",
  "authority",
];
const partnerNames: Partial<Record<Role, string>> = {
  "partner with consent": "bank",
  "partner without consent": "other-bank",
  authority: "tax-office",
};
const inquiry: InputBuilder = async ({ test }, role) => {
  // The matrix asks a few times: one page holds them all.
  const inquiries = async () => (await test.store.inquiries(subject, { limit: 1_000 })).inquiries;
  const before = (await inquiries()).length;
  return {
    body: {
      subjectId: subject,
      purpose: role === "authority" ? "public_task" : "credit",
      disclosure: "rating",
    },
    async verify(response) {
      const after = await inquiries();
      if (!partnerRoles.includes(role)) {
        expect(after).toHaveLength(before);
        return;
      }
      // The refusal is itself an inquiry the subject sees; it discloses nothing.
      expect(after).toHaveLength(before + 1);
      const allowed = role !== "partner without consent";
      expect(after[0]).toMatchObject({ partner: partnerNames[role], allowed });
      if (allowed) {
        expect(response.json()).toMatchObject({ subjectId: subject, rating: expect.any(String) });
      } else {
        expect(after[0]?.disclosed).toEqual({});
        expect(problemOf(response)).toMatchObject({ refusal: "no_live_consent" });
        expect(response.json()).not.toHaveProperty("rating");
      }
    },
  };
};

function row(
  method: Method,
  url: string,
  allowStatus: number,
  cells: readonly Outcome[],
  input?: InputBuilder,
): Row {
  if (cells.length !== roles.length) throw new Error(`${method} ${url}: one cell per role`);
  const byRole = Object.fromEntries(roles.map((role, index) => [role, cells[index]]));
  return { method, url, allowStatus, cells: byRole as Record<Role, Outcome>, input };
}

/**
 * The matrix: one row per route, one column per role, in the order of `roles`: anonymous, the
 * citizen who is the subject in question (self), another citizen, a source, a partner with the
 * subject's consent (bank+), a partner without it (bank-), an authority on `public_task`, a
 * reviewer, an admin. `status` is what an allowed call answers; a denial is its status.
 * Charter: the rules and the service's health are public; a citizen reads only their own data
 * (another person's entry is 404: ids do not leak); a partner never sees entries and asks only
 * with consent, an authority on its legal basis; reviewers review; admins administer.
 */
// biome-ignore format: a matrix reads best aligned
const table: readonly Row[] = [
  // method  url template                               status anon     self     other    source   bank+    bank-    auth     review   admin
  // Public: the service's health, the rules (no secret rules), the API's documentation.
  row("GET",    "/healthz",                              200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/readyz",                               200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/metrics",                              200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/v1/rulebook",                          200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/v1/rulebooks",                         200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/v1/rulebooks/:version",                200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ], rulebookVersion1),
  row("GET",    "/v1/benefits",                          200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs",                                 200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/",                                200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/json",                            200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/yaml",                            200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/static/index.html",               302, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/static/swagger-initializer.js",   200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  row("GET",    "/docs/static/*",                        200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ], docsAsset),
  // The web app's files and client routes (its pages ask the API, which checks each call).
  row("GET",    "/*",                                    200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ], webAppPage),
  // Whose credentials these are: the caller's own role and name, nothing else.
  row("GET",    "/v1/whoami",                            200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  // A citizen's account: the activation code or passphrase is the credential, not the bearer.
  row("POST",   "/v1/activate",                          200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ], activation),
  row("POST",   "/v1/session",                           200, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ], signInBody),
  row("DELETE", "/v1/session",                           204, [allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow,   allow  ]),
  // The citizen's own data: the subject comes from the session, never from the URL.
  row("GET",    "/v1/me",                                200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/rating-history",                 200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/score-history",                  200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/benefits",                       200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/inquiries",                      200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/notifications",                  200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/entries",                        200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/entries/:id",                    200, [401,     allow,   404,     403,     403,     403,     403,     403,     403    ], ownEntry),
  row("POST",   "/v1/me/entries/:id/appeal",             201, [401,     allow,   404,     403,     403,     403,     403,     403,     403    ], appealOfOwnEntry),
  row("GET",    "/v1/me/appeals",                        200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("GET",    "/v1/me/consents",                       200, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ]),
  row("POST",   "/v1/me/consents",                       201, [401,     allow,   allow,   403,     403,     403,     403,     403,     403    ], consentGrant),
  row("DELETE", "/v1/me/consents/:id",                   204, [401,     allow,   404,     403,     403,     403,     403,     403,     403    ], ownConsent),
  // Sources report; partners ask (with consent, or an authority on its legal basis).
  row("POST",   "/v1/events",                            200, [401,     403,     403,     allow,   403,     403,     403,     403,     403    ], newEvent),
  row("POST",   "/v1/inquiries",                         200, [401,     403,     403,     403,     allow,   consent, allow,   403,     403    ], inquiry),
  // Human review of uncertain attributions and of appeals.
  row("GET",    "/v1/reviews",                           200, [401,     403,     403,     403,     403,     403,     403,     allow,   403    ]),
  row("POST",   "/v1/reviews/:entryId",                  200, [401,     403,     403,     403,     403,     403,     403,     allow,   403    ], pendingReview),
  row("GET",    "/v1/appeals",                           200, [401,     403,     403,     403,     403,     403,     403,     allow,   403    ]),
  row("POST",   "/v1/appeals/:id/decision",              200, [401,     403,     403,     403,     403,     403,     403,     allow,   403    ], openAppeal),
  // Administration.
  row("POST",   "/v1/rulebooks",                         201, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], rulebookText),
  row("POST",   "/v1/subjects",                          200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], newSubject),
  row("POST",   "/v1/credentials",                       201, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], newReviewerKey),
  row("GET",    "/v1/credentials",                       200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ]),
  row("DELETE", "/v1/credentials/:keyId",                200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], revocableKey),
  row("POST",   "/v1/sources",                           201, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], newSource),
  row("GET",    "/v1/sources",                           200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ]),
  row("POST",   "/v1/partners",                          201, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], newPartner),
  row("GET",    "/v1/partners",                          200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ]),
  row("GET",    "/v1/statistics",                        200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ]),
  row("GET",    "/v1/audit",                             200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ]),
  row("POST",   "/v1/whatif",                            200, [401,     403,     403,     403,     403,     403,     403,     403,     allow  ], rulebookText),
];

/** Fastify answers HEAD for every GET route, like GET without a body: the same cells. */
const rows: readonly Row[] = table.flatMap((entry) =>
  entry.method === "GET" ? [entry, { ...entry, method: "HEAD" as const }] : [entry],
);

let world: World;

const webRoot = temporaryFolder("matrix-web");
writeFileSync(join(webRoot.path, "index.html"), "<!doctype html><title>web app</title>");

beforeAll(async () => {
  const test = await openTestApp({ webRoot: webRoot.path });
  await test.enroll([
    { id: subject, region: "north" },
    { id: otherSubject, region: "north" },
  ]);
  const partner = await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
  const { now } = test.clock;
  await test.store.grantConsent(
    subject,
    { partner: "bank", purpose: "credit", until: now + days(365) },
    now,
  );
  // Citizens grant and revoke consents to this one in their cells, never to the two banks.
  await test.addPartner({ name: "landlord", kind: "landlord", purposes: ["tenancy"] });
  const source = await test.addSource("police", "agency", ["traffic.*"]);
  world = {
    test,
    police: source,
    camera: await test.addSource("camera-7", "camera", ["traffic.*"]),
    keys: {
      anonymous: undefined,
      citizen: await signIn(test, subject),
      "other citizen": await signIn(test, otherSubject),
      source,
      "partner with consent": partner,
      "partner without consent": await test.addPartner({
        name: "other-bank",
        kind: "bank",
        purposes: ["credit"],
      }),
      authority: await test.addPartner({
        name: "tax-office",
        kind: "authority",
        purposes: ["public_task"],
      }),
      reviewer: await test.keyFor("reviewer", "rita"),
      admin: test.adminKey,
    },
  };
});
afterAll(async () => {
  await world?.test.close();
  webRoot.remove();
});

describe("the matrix covers the app", () => {
  it("lists every route the app registers, and only those", () => {
    expect(registered.has("POST /v1/inquiries"), "the onRoute hook saw the routes").toBe(true);
    const listed = new Set(rows.map((entry) => `${entry.method} ${entry.url}`));
    const unlisted = [...registered.keys()].filter((route) => !listed.has(route));
    expect(unlisted, "routes missing from the authorisation matrix").toEqual([]);
    const gone = rows.filter(
      (entry) => !world.test.app.hasRoute({ method: entry.method, url: entry.url }),
    );
    expect(
      gone.map((entry) => `${entry.method} ${entry.url}`),
      "rows of no route",
    ).toEqual([]);
  });

  it("allows each route with a status it documents", () => {
    const undocumented = rows.filter((entry) => {
      const statuses = registered.get(`${entry.method} ${entry.url}`) ?? [];
      return statuses.length > 0 && !statuses.includes(String(entry.allowStatus));
    });
    const routes = undocumented.map((entry) => `${entry.method} ${entry.url}`);
    expect(routes, "allowed with a status the route does not document").toEqual([]);
  });
});

describe.each(rows.map((entry) => [`${entry.method} ${entry.url}`, entry] as const))(
  "%s",
  (_route, entry) => {
    const cells = roles.map((role) => [cellName(entry, role), role] as const);
    it.each(cells)("%s", (_cell, role) => checkCell(entry, role));
  },
);

function cellName(entry: Row, role: Role): string {
  const outcome = entry.cells[role];
  if (outcome === allow) return `${role}: allow (${entry.allowStatus})`;
  const { status, code } = denials[outcome];
  return `${role}: deny ${status} ${code}`;
}

/** One cell: the request with fresh valid input, then the expected answer, never a 5xx. */
async function checkCell(entry: Row, role: Role): Promise<void> {
  const outcome = entry.cells[role];
  const input = (await entry.input?.(world, role)) ?? {};
  const url = input.url ?? entry.url;
  if (/[:*]/.test(url)) throw new Error(`${entry.url} needs an input builder for its url`);
  const key = world.keys[role];
  const response = await world.test.app.inject({
    method: entry.method,
    url,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    ...(input.body === undefined ? {} : { payload: input.body as object }),
  });
  expect(response.statusCode, response.body).toBeLessThan(500);
  const contentType = String(response.headers["content-type"]);
  if (outcome === allow) {
    expect(response.statusCode, response.body).toBe(entry.allowStatus);
    expect(contentType).not.toContain("problem+json");
    if (entry.method !== "HEAD") checkDisclosure(entry, role, response);
  } else {
    const { status, code } = denials[outcome];
    expect(response.statusCode, response.body).toBe(status);
    expect(contentType).toMatch(/^application\/problem\+json/);
    // A 401 tells the client how to authenticate, and only a 401 does.
    expect(response.headers["www-authenticate"]).toBe(
      status === 401 ? 'Bearer realm="civic-credit"' : undefined,
    );
    // HEAD answers carry the headers only.
    if (entry.method !== "HEAD") expect(problemOf(response).code).toBe(code);
  }
  await input.verify?.(response);
}

/** What an allowed answer may show: a citizen only their own data; a partner never entries. */
function checkDisclosure(entry: Row, role: Role, response: LightMyRequestResponse): void {
  if (entry.url.startsWith("/v1/me")) {
    const [own, others] = role === "citizen" ? [subject, otherSubject] : [otherSubject, subject];
    expect(response.body).not.toContain(others);
    const body = response.body === "" ? {} : response.json();
    if ("subjectId" in body) expect(body.subjectId).toBe(own);
  }
  if (partnerRoles.includes(role) && response.body.startsWith("{")) {
    expect(Object.keys(response.json())).not.toContain("entries");
  }
}
