/**
 * Fixtures for the API's inject() tests: an app on an in-memory SQLite ledger with the default
 * rulebook, an admin key, a settable clock, and helpers to add sources, partners and keys
 * directly through the store. Test code only (not built).
 */
import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { type App, buildApp } from "../api/app.js";
import { issueKey } from "../api/auth/secrets.js";
import { parseRulebook } from "../core/rulebook.parse.js";
import type { SourceKind } from "../core/source.js";
import type { Instant } from "../core/time.js";
import type { AccessStore, CredentialRole, PartnerInput } from "../store/access.store.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";
import type { LedgerStore, SubjectInput } from "../store/store.js";
import { defaultRulebookText } from "./core.js";

export type TestApp = Readonly<{
  app: App;
  store: LedgerStore & AccessStore;
  adminKey: string;
  /** The app's clock; tests move it. */
  clock: { now: Instant };
  /** Issues a key straight through the store (no audit line): for setting up other tests. */
  keyFor(role: CredentialRole, principal: string): Promise<string>;
  addSource(name: string, kind: SourceKind, allowedTypes: readonly string[]): Promise<string>;
  addPartner(input: PartnerInput): Promise<string>;
  enroll(subjects: readonly SubjectInput[]): Promise<void>;
  close(): Promise<void>;
}>;

export const testNow: Instant = Date.parse("2026-06-01T12:00:00Z");

export async function openTestApp(
  options: Readonly<{
    at?: Instant;
    liveRateLimits?: boolean;
    /** The general limit per key or address, live (sign-ins stay unlimited unless live). */
    requestsPerMinute?: number;
    trustProxy?: boolean;
    /** Serve a web app from this folder (see `AppDependencies.webRoot`). */
    webRoot?: string;
  }> = {},
): Promise<TestApp> {
  const clock = { now: options.at ?? testNow };
  const store = openSqliteStore({ path: ":memory:" }) as LedgerStore & AccessStore;
  const parsed = parseRulebook(defaultRulebookText, "default.yaml");
  if (!parsed.ok) throw new Error("the default rulebook does not compile");
  await store.publishRulebook({
    text: defaultRulebookText,
    rulebook: parsed.rulebook,
    publishedAt: clock.now,
    publishedBy: "test",
  });
  const keyFor = async (role: CredentialRole, principal: string) => {
    const issued = issueKey();
    await store.createCredential({
      keyId: issued.keyId,
      secretHash: issued.secretHash,
      role,
      principal,
      createdAt: clock.now,
      createdBy: "test",
    });
    return issued.key;
  };
  const adminKey = await keyFor("admin", "admin");
  const app = await buildApp({
    store,
    clock: () => clock.now,
    sessionSecret: randomBytes(32),
    trustProxy: options.trustProxy,
    webRoot: options.webRoot,
    rateLimits: options.liveRateLimits
      ? undefined
      : {
          requestsPerMinute: options.requestsPerMinute ?? 1_000_000,
          signInsPerMinute: 1_000_000,
        },
  });
  return {
    app,
    store,
    adminKey,
    clock,
    keyFor,
    async addSource(name, kind, allowedTypes) {
      const added = await store.addSource({ name, kind, allowedTypes }, clock.now);
      if ("refused" in added) throw new Error(added.refused);
      return keyFor("source", name);
    },
    async addPartner(input) {
      const added = await store.addPartner(input, clock.now);
      if ("refused" in added) throw new Error(added.refused);
      return keyFor("partner", input.name);
    },
    async enroll(subjects) {
      await store.enrollSubjects(subjects, clock.now);
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The parsed body of a problem+json answer, after checking its media type and status. */
export function problemOf(
  response: LightMyRequestResponse,
): { status: number; code: string; detail: string } & Record<string, unknown> {
  if (!String(response.headers["content-type"]).startsWith("application/problem+json")) {
    throw new Error(
      `expected problem+json, got ${response.headers["content-type"]}: ${response.body}`,
    );
  }
  const problem = response.json();
  if (problem.status !== response.statusCode) throw new Error("status and body disagree");
  return problem;
}
