/**
 * Fixtures for the citizen, partner and reviewer route tests: a citizen signed in through the
 * HTTP routes, events reported through POST /v1/events, and a small JSON client. Test code only.
 */
import type { LightMyRequestResponse } from "fastify";
import { activationCodeHash, issueActivationCode } from "../api/auth/secrets.js";
import type { EventInput } from "../core/event.js";
import { days } from "../core/time.js";
import { bearer, type TestApp } from "./api.js";

export const passphrase = "correct horse battery staple";

type Method = "GET" | "POST" | "DELETE";

/** One request as `key` (an API key or a session token; none for anonymous). */
export function call(
  test: TestApp,
  method: Method,
  url: string,
  options: Readonly<{ key?: string; body?: unknown }> = {},
): Promise<LightMyRequestResponse> {
  return test.app.inject({
    method,
    url,
    headers: options.key ? bearer(options.key) : {},
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
}

/** Issues an activation code straight through the store, as enrollment would. */
export async function issueCode(test: TestApp, subjectId: string): Promise<string> {
  const code = issueActivationCode();
  await test.store.setActivationCode(
    subjectId,
    activationCodeHash(code),
    test.clock.now + days(30),
  );
  return code;
}

/** Activates the subject's account and signs in, through the HTTP routes; answers the token. */
export async function signIn(test: TestApp, subjectId: string): Promise<string> {
  const activationCode = await issueCode(test, subjectId);
  const activated = await call(test, "POST", "/v1/activate", {
    body: { subjectId, activationCode, passphrase },
  });
  if (activated.statusCode !== 200) throw new Error(`activation failed: ${activated.body}`);
  return signInAgain(test, subjectId);
}

/** Signs an activated citizen in again: sessions last 12 hours, tests move the clock further. */
export async function signInAgain(test: TestApp, subjectId: string): Promise<string> {
  const session = await call(test, "POST", "/v1/session", { body: { subjectId, passphrase } });
  if (session.statusCode !== 200) throw new Error(`sign-in failed: ${session.body}`);
  return session.json().token;
}

let eventCount = 0;

/** A valid event; `overrides` replace fields. Ids are unique within the test process. */
export function conductEvent(overrides: Partial<EventInput> = {}): EventInput {
  eventCount++;
  return {
    id: `event-${eventCount}`,
    subject: "c-001",
    type: "traffic.red_light",
    occurredAt: "2026-05-30T08:30:00Z",
    evidence: { description: "Signal red for 3 s", reference: `TP-${eventCount}` },
    ...overrides,
  };
}

/** Reports events through POST /v1/events and answers the outcomes. */
export async function report(
  test: TestApp,
  sourceKey: string,
  events: readonly EventInput[],
): Promise<Array<{ outcome: string; entryId?: number; status?: string }>> {
  const response = await call(test, "POST", "/v1/events", { key: sourceKey, body: { events } });
  if (response.statusCode !== 200) throw new Error(`report failed: ${response.body}`);
  return response.json().outcomes;
}

/** Reports one event that must be accepted; answers its entry id. */
export async function reportOne(
  test: TestApp,
  sourceKey: string,
  overrides: Partial<EventInput> = {},
): Promise<number> {
  const [outcome] = await report(test, sourceKey, [conductEvent(overrides)]);
  if (outcome?.outcome !== "accepted" || outcome.entryId === undefined) {
    throw new Error(`event not accepted: ${JSON.stringify(outcome)}`);
  }
  return outcome.entryId;
}
