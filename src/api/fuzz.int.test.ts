/**
 * Fuzzing the whole HTTP API: fast-check throws generated junk at every route the app documents
 * (read from its own OpenAPI document, so a new route is fuzzed without touching this file) and
 * at the documentation routes. Properties: never a 5xx; every 4xx is a catalogue problem with no
 * stack trace or internal detail; the ledger stays whole (every entry answered `accepted`, every
 * score equal to its recomputation); the server keeps answering. A failure prints its seed;
 * `CIVIC_FUZZ_SEED=<seed> npx vitest run src/api/fuzz.int.test.ts -t '<test>'` replays it.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days } from "../core/time.js";
import { runMaintenance } from "../ledger/maintenance.js";
import { verifyLedger } from "../ledger/verify.js";
import type { LedgerStore, Subject } from "../store/store.js";
import { bearer, openTestApp, type TestApp, testNow } from "../test-support/api.js";
import { conductEvent, passphrase, signIn } from "../test-support/citizen.js";
import { defaultRulebookText } from "../test-support/core.js";
import { bodyBytesMax } from "./app.js";
import { errorCatalogue } from "./errors.js";
import { problemSchema } from "./responses.js";

const fuzzSeed = Number(process.env.CIVIC_FUZZ_SEED ?? 20_260_601);
/** Sized for well under 30 s on 2 cores; raise locally to search harder. */
const junkRuns = 2_000;
const writeRuns = 1_000;

type JsonSchema = Readonly<{
  type?: string;
  enum?: readonly unknown[];
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
}>;
type Parameter = Readonly<{ name: string; in: string; schema?: JsonSchema }>;
type Role = "admin" | "source" | "partner" | "reviewer" | "citizen";
type Operation = Readonly<{
  method: string;
  /** OpenAPI style: `/v1/me/entries/{id}`. */
  path: string;
  parameters: readonly Parameter[];
  body: JsonSchema | undefined;
  /** The role its summary names ("(admin key)", "(citizen session)"), if any. */
  role: Role | undefined;
}>;
type Headers = Readonly<Record<string, string>>;
type FuzzRequest = Readonly<{
  route: string;
  method: string;
  url: string;
  headers: Headers;
  payload: string | undefined;
}>;
/** Plausible values of a field, by name, so that generated requests also reach the handlers. */
type Hints = Readonly<Record<string, readonly unknown[] | fc.Arbitrary<unknown>>>;

type World = Readonly<{
  test: TestApp;
  operations: readonly Operation[];
  credentials: Readonly<Record<Role, readonly Headers[]>>;
  junkCredentials: readonly string[];
  hints: Hints;
  /** Entries the API answered `accepted` for, with their points. */
  accepted: Map<number, number>;
  /** How often each route was fuzzed. */
  hits: Map<string, number>;
}>;

let world: World;
beforeEach(async () => {
  world = await openWorld();
  // Entries to appeal, review and read: the camera match waits for a reviewer.
  const [police, camera] = world.credentials.source as [Headers, Headers];
  for (const [headers, event] of [
    [police, conductEvent({ subject: "c-001" })],
    [police, conductEvent({ subject: "c-002", type: "civic.volunteering" })],
    [camera, conductEvent({ subject: "c-001", confidence: 0.5 })],
  ] as const) {
    const payload = { events: [event] };
    recordOutcomes([
      await world.test.app.inject({ method: "POST", url: "/v1/events", headers, payload }),
    ]);
  }
});
afterEach(() => world.test.close());

async function openWorld(): Promise<World> {
  const test = await openTestApp();
  await test.enroll(["c-001", "c-002", "c-003"].map((id) => ({ id, region: "north" })));
  const police = await test.addSource("police", "agency", ["*"]);
  const camera = await test.addSource("camera", "camera", ["traffic.*", "public.*"]);
  const bank = await test.addPartner({ name: "bank", kind: "bank", purposes: ["credit"] });
  const authority = await test.addPartner({
    name: "authority",
    kind: "authority",
    purposes: ["public_task"],
  });
  const reviewer = await test.keyFor("reviewer", "rita");
  // The one key the fuzz may revoke; the keys it sends stay valid.
  const victim = await test.keyFor("reviewer", "victim");
  const revoked = await test.keyFor("partner", "bank");
  await test.store.revokeCredential(keyIdOf(revoked), test.clock.now);
  await test.store.grantConsent(
    "c-001",
    { partner: "bank", purpose: "credit", until: testNow + 86_400_000 },
    test.clock.now,
  );
  const citizen = await signIn(test, "c-001");
  const forgedSession = `ccs_${Buffer.from("c-002").toString("base64url")}.99999999999999.${"A".repeat(43)}`;
  return {
    test,
    operations: await documentedOperations(test),
    credentials: {
      admin: [bearer(test.adminKey)],
      source: [bearer(police), bearer(camera)],
      partner: [bearer(bank), bearer(authority)],
      reviewer: [bearer(reviewer)],
      citizen: [bearer(citizen)],
    },
    junkCredentials: [
      `Bearer ${revoked}`,
      `Bearer ${police.slice(0, -1)}${police.endsWith("A") ? "B" : "A"}`,
      `bearer ${test.adminKey}`,
      `Bearer  ${test.adminKey}`,
      `Bearer ${test.adminKey} `,
      test.adminKey,
      `Basic ${Buffer.from("admin:admin").toString("base64")}`,
      `Bearer cck_${"A".repeat(12)}_${"A".repeat(43)}`,
      `Bearer ${forgedSession}`,
      `Bearer ${citizen}x`,
      `Bearer ${"a".repeat(600)}`,
      "Bearer ",
      "",
    ],
    hints: { ...fieldHints, keyId: [keyIdOf(victim), "AAAAAAAAAAAA"] },
    accepted: new Map(),
    hits: new Map(),
  };
}

function keyIdOf(key: string): string {
  return key.slice("cck_".length, "cck_".length + 12);
}

/** Every documented operation, and the documentation routes, which the document leaves out. */
async function documentedOperations(test: TestApp): Promise<Operation[]> {
  type Documented = { summary?: string; parameters?: Parameter[]; requestBody?: unknown };
  const response = await test.app.inject({ method: "GET", url: "/docs/json" });
  const document = response.json() as { paths: Record<string, Record<string, Documented>> };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const body = operation.requestBody as
        | { content?: { "application/json"?: { schema?: JsonSchema } } }
        | undefined;
      const role = /\((admin|source|partner|reviewer) key|(citizen) session\)/.exec(
        operation.summary ?? "",
      );
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: body?.content?.["application/json"]?.schema,
        role: (role?.[1] ?? role?.[2]) as Role | undefined,
      });
    }
  }
  for (const path of ["/docs", "/docs/json", "/docs/yaml", "/docs/static/{file}", "/{nowhere}"]) {
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name: name as string,
      in: "path",
    }));
    operations.push({ method: "GET", path, parameters, body: undefined, role: undefined });
  }
  return operations;
}

// ---- Generators -------------------------------------------------------------------------------

/** How much junk a request carries: at each choice, `junk` against `plausible`. */
type Mix = Readonly<{ plausible: number; junk: number; junkCredentials: boolean }>;
const junkMix: Mix = { plausible: 3, junk: 1, junkCredentials: true };
const validMix: Mix = { plausible: 40, junk: 1, junkCredentials: false };

const either = <T>(mix: Mix, plausible: fc.Arbitrary<T>, junk: fc.Arbitrary<T>) =>
  fc.oneof({ weight: mix.plausible, arbitrary: plausible }, { weight: mix.junk, arbitrary: junk });

const character = (codes: fc.Arbitrary<number>) => codes.map((code) => String.fromCharCode(code));
/** What an HTTP parser lets through in a header value: tab, visible ASCII, obs-text. */
const headerText = fc.string({
  unit: character(fc.oneof(fc.constant(9), fc.integer({ min: 0x20, max: 0xff }))),
  maxLength: 80,
});
const junkText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: character(fc.integer({ min: 0, max: 0x1f })) }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: character(fc.integer({ min: 0xd800, max: 0xdfff })) }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "null",
      "__proto__",
      "constructor",
      "<script>alert(1)</script>",
      "'; DROP TABLE entries; --",
      "../../etc/passwd",
      "\u202e\u0000𝕏💩",
      "NaN",
      "1e309",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => "x".repeat(n)) },
);
const junkNumber = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.double(),
  fc.constantFrom(-0, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkText,
  junkNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  // Deep, within what JSON.stringify can write: deeper bodies are written as text below.
  fc.integer({ min: 50, max: 2_000 }).map(nested),
);

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Mostly values that pass, sometimes ones just beside them. */
const mostly = (good: readonly unknown[], bad: readonly unknown[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...good) }, fc.constantFrom(...bad));
const freshId = fc.nat({ max: 10 ** 6 }).map((n) => `e-${n}`);
const pastDates = ["2026-05-30T08:30:00Z", "2026-06-01T11:59:59.999Z", "2026-06-01T12:00:00+14:00"];
const badDates = [
  "2026-06-20T00:00:00Z",
  "1970-01-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "2026-05-30",
];
const futureDates = ["2026-06-20T00:00:00Z", "2026-08-01T00:00:00+02:00"];
const prose = fc.string({ minLength: 1, maxLength: 30 });
const fieldHints: Hints = {
  subject: mostly(["c-001", "c-002", "c-003"], ["c-404"]),
  subjectId: mostly(["c-001", "c-002"], ["c-404"]),
  id: fc.oneof({ weight: 4, arbitrary: freshId }, fc.constantFrom("e-1", "c-001")),
  type: mostly(
    ["traffic.red_light", "civic.volunteering", "public.littering"],
    ["traffic.speeding"],
  ),
  occurredAt: mostly(pastDates, badDates),
  until: mostly(futureDates, [...pastDates, "2030-01-01T00:00:00Z"]),
  from: mostly(pastDates, badDates),
  to: mostly(pastDates, badDates),
  region: ["north", "south"],
  confidence: mostly([0.5, 0.95, 1], [0, 1.5]),
  partner: mostly(["bank", "authority"], ["nobody"]),
  principal: mostly(["police", "bank", "rita"], ["nobody"]),
  name: fc.oneof(
    fc.constantFrom("police", "bank"),
    fc.nat().map((n) => `name-${n}`),
  ),
  benefitId: mostly(["loan_discount", "deposit_free_rental"], ["nothing"]),
  allowedTypes: ["*", "traffic.*", "civic.volunteering"],
  text: mostly([defaultRulebookText], [defaultRulebookText.slice(0, 700), "title: x\nrules: []\n"]),
  passphrase: mostly([passphrase], ["x".repeat(12)]),
  activationCode: ["ABCD-EFGH-JKLM-NPQR"],
  description: prose,
  statement: prose,
  reason: prose,
  url: mostly(["https://example.org/evidence"], ["javascript:alert(1)"]),
  evidenceUrl: mostly(["https://example.org/evidence"], ["ftp://example.org/"]),
  // Path and query parameters.
  "parameter:id": mostly([1, 2, 3, 4, 5], [0]),
  "parameter:entryId": mostly([1, 2, 3, 4], [0]),
  "parameter:version": mostly([1, 2], [0]),
  "parameter:limit": mostly([1, 1000], [0, 1001]),
  "parameter:after": [0, 2],
};

function hintFor(name: string): fc.Arbitrary<unknown> | undefined {
  if (!Object.hasOwn(world.hints, name)) return undefined;
  const hint = world.hints[name];
  return Array.isArray(hint) ? fc.constantFrom(...hint) : (hint as fc.Arbitrary<unknown>);
}

/** A value shaped like the schema, with junk mixed in at every level. */
function shaped(schema: JsonSchema | undefined, name: string, mix: Mix, depth = 0) {
  return either(mix, plausible(schema, name, mix, depth), junkValue);
}

function plausible(
  schema: JsonSchema | undefined,
  name: string,
  mix: Mix,
  depth: number,
): fc.Arbitrary<unknown> {
  const variants = schema?.anyOf ?? schema?.oneOf;
  if (!schema || depth > 4) return junkValue;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (variants) return fc.oneof(...variants.map((variant) => plausible(variant, name, mix, depth)));
  switch (schema.type) {
    case "object":
      return shapedObject(schema, mix, depth);
    case "array":
      return fc.array(shaped(schema.items, name, mix, depth + 1), { minLength: 1, maxLength: 6 });
    case "string":
      return hintFor(name) ?? prose;
    case "integer":
    case "number":
      return hintFor(name) ?? junkNumber;
    case "boolean":
      return fc.boolean();
    default:
      return junkValue;
  }
}

function shapedObject(schema: JsonSchema, mix: Mix, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const model = Object.fromEntries(
    properties.map(([key, child]) => [key, shaped(child, key, mix, depth + 1)]),
  );
  const requiredKeys = (schema.required ?? []) as never[];
  const extra = fc.dictionary(junkText, junkValue, { minKeys: 1, maxKeys: 2 });
  return fc
    .tuple(
      either(mix, fc.record(model, { requiredKeys }), fc.record(model, { requiredKeys: [] })),
      either(mix, fc.constant({}), extra),
    )
    .map(([known, unknown]) => ({ ...unknown, ...known }));
}

type Body = Readonly<{ contentType?: string; payload?: string }>;
const json = (payload: string): Body => ({ contentType: "application/json", payload });

/** Bytes that are not quite JSON, sent as JSON. */
function notJson(text: string): fc.Arbitrary<Body> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((end) => json(text.slice(0, end))),
    fc.constantFrom("NaN", "undefined", "{'a':1}", '{"a":1,}', "{} {}", "// x\n{}", "").map(json),
    fc.constant(json(`\uFEFF${text}`)),
    junkText.map(json),
    fc.integer({ min: 1_000, max: 1_000_000 }).map((depth) => json("[".repeat(depth))),
    fc
      .integer({ min: 1_000, max: 500_000 })
      .map((depth) => json(`{"events":[${'{"a":'.repeat(depth)}1${"}".repeat(depth)}]}`)),
  );
}

/** The body with a prototype-polluting member spliced in, written as text. */
function polluted(text: string): fc.Arbitrary<Body> {
  return fc
    .constantFrom(
      '"__proto__":{"polluted":true}',
      '"constructor":{"prototype":{"polluted":true}}',
      '"__proto__":null',
    )
    .map((member) =>
      json(text.startsWith("{") && text !== "{}" ? `{${member},${text.slice(1)}` : `{${member}}`),
    );
}

const wrongContentType = fc.oneof(
  fc.constantFrom(
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/json; charset=utf-16",
    "APPLICATION/JSON",
    "application/jsonx",
    "application/json-patch+json",
    ";",
  ),
  headerText,
);

function bodyFor(operation: Operation, mix: Mix): fc.Arbitrary<Body> {
  const shapedText = shaped(operation.body, "body", mix).map(
    (value) => JSON.stringify(value) ?? "null",
  );
  const junk = fc.oneof(
    fc.constant<Body>({}),
    fc.jsonValue({ maxDepth: 4 }).map((value) => json(JSON.stringify(value))),
    shapedText.chain(notJson),
    shapedText.chain(polluted),
    fc
      .tuple(wrongContentType, shapedText)
      .map(([contentType, payload]) => ({ contentType, payload })),
  );
  const plausibleBody = operation.body ? shapedText.map(json) : fc.constant<Body>({});
  return either(mix, plausibleBody, junk);
}

/** Percent-encodes any text; lone surrogates, which have no UTF-8, become U+FFFD first. */
const encode = (text: string) => encodeURIComponent(Buffer.from(text).toString());
const malformedUrlParts = [
  "%",
  "%E0%A4%A",
  "%ZZ",
  "%00",
  "%2F",
  "..",
  "%2e%2e",
  "+",
  "&",
  "=",
  "#",
];
const numericJunk = ["0", "-1", "1.5", "1e3", "0x10", " 1", "NaN", "Infinity", "9".repeat(40)];
const junkParameter = fc.oneof(
  { weight: 3, arbitrary: junkText.map((text) => encode(text.slice(0, 2_000))) },
  { weight: 2, arbitrary: fc.constantFrom(...malformedUrlParts, ...numericJunk) },
);

function parameterValue(name: string, mix: Mix): fc.Arbitrary<string> {
  const hint = (hintFor(`parameter:${name}`) ?? hintFor(name))?.map((value) =>
    encode(String(value)),
  );
  return hint ? either(mix, hint, junkParameter) : junkParameter;
}

function queryFor(operation: Operation, mix: Mix): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((parameter) => parameter.in === "query");
  const declaredPairs = fc
    .subarray(declared as Parameter[])
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map(({ name }) => parameterValue(name, mix).map((value) => `${name}=${value}`)),
      ),
    );
  const junkName = fc.oneof(
    fc.constantFrom("limit", "__proto__", "constructor", "a[b]", "a[]"),
    junkText.map((text) => encode(text.slice(0, 50))),
  );
  const junkPairs = fc.array(
    fc.tuple(junkName, junkParameter).map(([name, value]) => `${name}=${value}`),
    { minLength: 1, maxLength: 4 },
  );
  const rawJunk = fc.array(fc.constantFrom(...malformedUrlParts), { maxLength: 6 });
  return either(
    mix,
    declaredPairs,
    fc.oneof(
      junkPairs,
      rawJunk.map((parts) => [parts.join("")]),
    ),
  ).map((pairs) => (pairs.length === 0 ? "" : `?${pairs.join("&")}`));
}

function credentialsFor(operation: Operation, mix: Mix): fc.Arbitrary<Headers> {
  const all = Object.values(world.credentials).flat();
  const own = operation.role ? world.credentials[operation.role] : all;
  const valid = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...own) },
    fc.constantFrom(...all),
  );
  if (!mix.junkCredentials) return valid;
  const citizen = world.credentials.citizen[0]?.authorization?.slice("Bearer ".length) ?? "";
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ cookie: `civic_session=${citizen}` }) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...world.junkCredentials)
        .map((authorization) => ({ authorization })),
    },
    { weight: 1, arbitrary: headerText.map((text) => ({ authorization: `Bearer ${text}` })) },
    { weight: 1, arbitrary: headerText.map((text) => ({ authorization: text })) },
    { weight: 1, arbitrary: headerText.map((text) => ({ cookie: `civic_session=${text}` })) },
  );
}

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function requestFor(operation: Operation, mix: Mix): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === "path");
  const path = fc
    .tuple(...pathParameters.map((parameter) => parameterValue(parameter.name, mix)))
    .map((values) =>
      pathParameters.reduce(
        (url, parameter, index) => url.replace(`{${parameter.name}}`, values[index] as string),
        operation.path,
      ),
    );
  return fc
    .record({
      method: either(mix, fc.constant(operation.method), fc.constantFrom(...methods)),
      path,
      query: queryFor(operation, mix),
      credentials: credentialsFor(operation, mix),
      body: bodyFor(operation, mix),
    })
    .map(({ method, path, query, credentials, body }) => ({
      route: `${operation.method} ${operation.path}`,
      method,
      url: `${path}${query}`,
      headers:
        body.contentType === undefined
          ? credentials
          : { ...credentials, "content-type": body.contentType },
      payload: body.payload,
    }));
}

// ---- Properties -------------------------------------------------------------------------------

/** Traces and internals that must never reach a client, whatever it sent. */
const leaks = [
  /\n\s+at /,
  /node_modules/,
  /SqliteError|SQLITE_/,
  /(Type|Range|Reference|Syntax)Error/,
  /FST_ERR/,
];

/** Never a 5xx; a 4xx is a problem from the catalogue, without internals; JSON parses. */
function expectWellAnswered(request: FuzzRequest, response: LightMyRequestResponse): void {
  const what = `${request.method} ${request.url.slice(0, 200)} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, what).toBeLessThan(500);
  const contentType = String(response.headers["content-type"] ?? "");
  if (response.statusCode >= 400) expect(contentType, what).toMatch(/^application\/problem\+json/);
  if (request.method === "HEAD" || response.body === "") return;
  for (const leak of leaks) expect(response.body, what).not.toMatch(leak);
  expect(response.body, what).not.toContain(process.cwd());
  if (response.statusCode >= 400) {
    const problem = problemSchema.parse(response.json());
    const entry = errorCatalogue[problem.code];
    expect(problem, what).toMatchObject({
      type: `urn:civic-credit:error:${problem.code}`,
      title: entry.title,
      status: response.statusCode,
    });
    expect(entry.status, what).toBe(response.statusCode);
    expect(problem.detail.length, what).toBeGreaterThan(0);
    expect(problem, what).not.toHaveProperty("stack");
  } else if (contentType.startsWith("application/json")) {
    expect(() => response.json(), what).not.toThrow();
  }
}

type EventOutcome = Readonly<{ outcome: string; entryId?: number; points?: number }>;

/** Notes the entries answered `accepted`; a duplicate must name one of them. */
function recordOutcomes(responses: readonly LightMyRequestResponse[]): void {
  const outcomes = responses
    .filter((response) => response.statusCode === 200)
    .flatMap((response) => response.json().outcomes as EventOutcome[]);
  for (const { outcome, entryId, points } of outcomes) {
    if (outcome === "accepted") world.accepted.set(entryId as number, points as number);
  }
  for (const { outcome, entryId } of outcomes) {
    if (outcome === "duplicate") expect(world.accepted.has(entryId as number)).toBe(true);
  }
}

type FuzzOptions = Readonly<{
  mix: Mix;
  numRuns: number;
  /** Requests in flight at once: more than one lets handlers race. */
  concurrentMax?: number;
  weightOf?: (operation: Operation) => number;
}>;

async function fuzz(
  operations: readonly Operation[],
  { mix, numRuns, concurrentMax = 1, weightOf = () => 1 }: FuzzOptions,
): Promise<void> {
  const { test, hits } = world;
  const request = fc.oneof(
    ...operations.map((operation) => ({
      arbitrary: requestFor(operation, mix),
      weight: weightOf(operation),
    })),
  );
  const send = async (request: FuzzRequest) => {
    hits.set(request.route, (hits.get(request.route) ?? 0) + 1);
    const response = await test.app.inject({
      method: request.method as "GET",
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    expectWellAnswered(request, response);
    return response;
  };
  const batch = fc.array(request, { minLength: 1, maxLength: concurrentMax });
  await fc.assert(
    fc.asyncProperty(batch, async (requests) => {
      const responses = await Promise.all(requests.map(send));
      recordOutcomes(
        responses.filter((_, index) => {
          const { method, route } = requests[index] as FuzzRequest;
          return method === "POST" && route === "POST /v1/events";
        }),
      );
      expect((await test.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    }),
    { seed: fuzzSeed, numRuns },
  );
}

/** The server still serves a valid request, and the ledger is whole. */
async function expectServingAndConsistent(): Promise<void> {
  const { test, credentials } = world;
  expect((await test.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  const event = conductEvent({ subject: "c-003", id: "after-the-fuzz" });
  const report = await test.app.inject({
    method: "POST",
    url: "/v1/events",
    headers: credentials.source[0],
    payload: { events: [event] },
  });
  expect(report.json().outcomes[0].outcome).toBe("accepted");
  recordOutcomes([report]);
  const me = await test.app.inject({
    method: "GET",
    url: "/v1/me",
    headers: credentials.citizen[0],
  });
  expect(me.statusCode).toBe(200);
  await expectLedgerWhole();
  // Later, entries expire and open appeals pass their deadline: the ledger stays whole.
  test.clock.now += days(400);
  await runMaintenance(test.store, test.clock.now);
  await expectLedgerWhole();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

async function expectLedgerWhole(): Promise<void> {
  const { test, accepted } = world;
  // No entry without its `accepted` answer, and no `accepted` answer without its entry.
  expect((await test.store.counts()).entries).toBe(accepted.size);
  for (const [entryId, points] of accepted) {
    expect((await test.store.entry(entryId))?.points).toBe(points);
  }
  // Every entry has its score effect: each stored score equals its recomputation.
  const verified = await verifyLedger(test.store, { at: test.clock.now });
  expect(verified.differences).toEqual([]);
  expect(verified.entries).toBe(accepted.size);
  // And the published rating log ends at each stored rating.
  for await (const subject of everySubject(test.store)) {
    const stored = await test.store.storedScore(subject.id);
    expect((await test.store.ratingChanges(subject.id)).at(-1)?.to).toBe(stored?.rating);
  }
}

async function* everySubject(store: LedgerStore): AsyncGenerator<Subject> {
  for (let after = 0; ; ) {
    const page = await store.subjectsPage(after, 1_000);
    if (page.length === 0) return;
    yield* page;
    after = (page.at(-1) as Subject).internalId;
  }
}

describe("fuzzing every route", () => {
  it("answers junk of every kind, from anyone, with a success or a catalogue problem", async () => {
    await fuzz(world.operations, { mix: junkMix, numRuns: junkRuns });
    // Every route the app has was fuzzed, so a new route is covered without editing this file.
    expect(world.operations.length).toBeGreaterThan(40);
    for (const { method, path } of world.operations) {
      expect(world.hits.get(`${method} ${path}`), `${method} ${path}`).toBeGreaterThan(0);
    }
    await expectServingAndConsistent();
  });

  it("keeps the ledger whole under plausible requests to the writing routes, in their roles", async () => {
    const writing = world.operations.filter((operation) => operation.method !== "GET");
    // Events are the ledger's input: many requests report some, the rest review and appeal them.
    const weightOf = (operation: Operation) => (operation.path === "/v1/events" ? 8 : 1);
    await fuzz(writing, { mix: validMix, numRuns: writeRuns, concurrentMax: 3, weightOf });
    expect(world.accepted.size).toBeGreaterThan(100);
    await expectServingAndConsistent();
  });

  it(`refuses a body above ${bodyBytesMax} bytes on every route that takes one`, async () => {
    const payload = `{"x":"${"x".repeat(bodyBytesMax)}"}`;
    // Announced by its Content-Length, and streamed without one (cut off once over the limit).
    const bodies = [() => payload, () => Readable.from([payload.slice(0, 9), payload.slice(9)])];
    for (const operation of world.operations.filter((candidate) => candidate.body)) {
      for (const body of bodies) {
        const url = operation.path.replace(/\{\w+\}/g, "1");
        // In the route's own role: a caller without it is refused before the body is read.
        const own = world.credentials[operation.role ?? "admin"][0];
        const headers = { ...own, "content-type": "application/json" };
        const request = { route: url, method: operation.method, url, headers, payload: "" };
        const response = await world.test.app.inject({
          ...request,
          method: operation.method as "POST",
          payload: body(),
        });
        expect(response.statusCode, url).toBe(413);
        expectWellAnswered(request, response);
      }
    }
    await expectServingAndConsistent();
  });
});
