import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batchEventsMax } from "../../core/batch.js";
import { outcomeKinds } from "../../core/outcome.js";
import { verifyLedger } from "../../ledger/verify.js";
import { bearer, openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { bodyBytesMax } from "../app.js";

let test: TestApp;
let sourceKey: string;

beforeEach(async () => {
  test = await openTestApp();
  sourceKey = await test.addSource("police", "agency", ["traffic.*"]);
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "south" },
  ]);
});
afterEach(() => test.close());

function event(overrides: Record<string, unknown> = {}) {
  return {
    id: "e-1",
    subject: "c-001",
    type: "traffic.red_light",
    occurredAt: "2026-05-30T08:30:00Z",
    evidence: { description: "Signal red for 3 s" },
    ...overrides,
  };
}

/** Posts as the source, as `key`, or without credentials when `key` is null. */
function post(payload: unknown, key: string | null = sourceKey) {
  return test.app.inject({
    method: "POST",
    url: "/v1/events",
    headers: key === null ? {} : bearer(key),
    payload: payload as object,
  });
}

describe("POST /v1/events", () => {
  it("answers one outcome per event, a bad one never refusing its neighbours", async () => {
    const events = [
      event({ id: "ok-1" }),
      event({ id: "ok-1" }),
      event({ id: "ok-1", occurredAt: "2026-05-30T09:30:00Z" }),
      event({ id: "type", type: "traffic.speeding" }),
      event({ id: "who", subject: "c-404" }),
      event({ id: "auth", type: "public.littering" }),
      event({ id: "future", occurredAt: "2026-06-02T00:00:00Z" }),
      event({ id: "field", evidence: undefined }),
      "not an event",
      event({ id: "ok-2", subject: "c-002", unknownField: 1 }),
      event({ id: "ok-3", subject: "c-002" }),
    ];
    const response = await post({ events });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toEqual([
      "accepted",
      "duplicate",
      "id_reused_with_different_payload",
      "unknown_event_type",
      "unknown_subject",
      "source_not_authorised_for_type",
      "occurred_in_future",
      "invalid_field",
      "invalid_field",
      "invalid_field",
      "accepted",
    ]);
    expect(body.outcomes[0]).toEqual({
      outcome: "accepted",
      entryId: 1,
      points: -10,
      status: "effective",
    });
    expect(body.outcomes[1]).toEqual({ outcome: "duplicate", entryId: 1 });
    expect(body.outcomes[9].message).toMatch(/unknownField/);
    expect(Object.keys(body.counts).sort()).toEqual([...outcomeKinds].sort());
    expect(body.counts).toMatchObject({ accepted: 2, duplicate: 1, invalid_field: 3 });
    expect((await test.store.entries("c-001")).map((entry) => entry.eventId)).toEqual(["ok-1"]);
    expect((await test.store.storedScore("c-002"))?.score).toBe(990);
    expect((await verifyLedger(test.store, { at: test.clock.now })).differenceCount).toBe(0);
  });

  it("counts outcomes in the metrics", async () => {
    await post({ events: [event(), event({ id: "x", subject: "c-404" })] });
    const metrics = await test.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toContain('civic_ingest_events_total{outcome="accepted"} 1');
    expect(metrics.body).toContain('civic_ingest_events_total{outcome="unknown_subject"} 1');
  });

  it(`commits a full batch of ${batchEventsMax} events`, async () => {
    const events = Array.from({ length: batchEventsMax }, (_, index) =>
      event({ id: `e-${index}`, subject: index % 2 === 0 ? "c-001" : "c-002" }),
    );
    const response = await post({ events });
    expect(response.statusCode).toBe(200);
    expect(response.json().counts.accepted).toBe(batchEventsMax);
    expect((await test.store.counts()).entries).toBe(batchEventsMax);
  });

  it("refuses an empty batch and one above the limit as a whole", async () => {
    for (const events of [[], Array.from({ length: batchEventsMax + 1 }, () => event())]) {
      const response = await post({ events });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).code).toBe("validation_failed");
    }
    expect((await test.store.counts()).entries).toBe(0);
  });

  it("refuses unknown fields beside the events, and a bare array", async () => {
    const extra = await post({ events: [event()], dryRun: true });
    expect(problemOf(extra)).toMatchObject({ status: 400, code: "validation_failed" });
    const bare = await post([event()]);
    expect(problemOf(bare)).toMatchObject({ status: 400, code: "validation_failed" });
  });

  it("refuses malformed JSON, an empty body and a body that is not JSON", async () => {
    const malformed = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...bearer(sourceKey), "content-type": "application/json" },
      payload: '{"events": [',
    });
    expect(problemOf(malformed)).toMatchObject({ status: 400, code: "bad_request" });
    expect(malformed.body).not.toMatch(/at .*\.js/);
    const empty = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...bearer(sourceKey), "content-type": "application/json" },
    });
    expect(problemOf(empty)).toMatchObject({ status: 400, code: "bad_request" });
    const text = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...bearer(sourceKey), "content-type": "text/plain" },
      payload: "events",
    });
    expect(problemOf(text)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it(`refuses a body above ${bodyBytesMax} bytes with 413`, async () => {
    const response = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...bearer(sourceKey), "content-type": "application/json" },
      payload: `{"events":["${"x".repeat(bodyBytesMax)}"]}`,
    });
    expect(problemOf(response)).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("refuses a missing, malformed, unknown or wrong key with 401, another role with 403", async () => {
    const missing = await post({ events: [event()] }, null);
    expect(problemOf(missing)).toMatchObject({ status: 401, code: "unauthenticated" });
    for (const key of ["nonsense", `cck_${"A".repeat(12)}_${"B".repeat(43)}`, `${sourceKey}x`]) {
      const response = await post({ events: [event()] }, key);
      expect(problemOf(response)).toMatchObject({ status: 401, code: "unauthenticated" });
    }
    const basic = await test.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { authorization: "Basic dXNlcjpwYXNz" },
      payload: { events: [event()] },
    });
    expect(basic.statusCode).toBe(401);
    for (const key of [test.adminKey, await test.keyFor("reviewer", "rita")]) {
      const response = await post({ events: [event()] }, key);
      expect(problemOf(response)).toMatchObject({ status: 403, code: "forbidden" });
    }
    expect((await test.store.counts()).entries).toBe(0);
  });

  it("refuses a revoked key at once", async () => {
    expect((await post({ events: [event()] })).statusCode).toBe(200);
    const keyId = sourceKey.slice(4, 16);
    const revoked = await test.app.inject({
      method: "DELETE",
      url: `/v1/credentials/${keyId}`,
      headers: bearer(test.adminKey),
    });
    expect(revoked.statusCode).toBe(200);
    const after = await post({ events: [event({ id: "e-2" })] });
    expect(problemOf(after)).toMatchObject({ status: 401, code: "unauthenticated" });
    expect((await test.store.counts()).entries).toBe(1);
  });
});

describe("the documented examples", () => {
  it("are what the server answers, but for the entry ids", async () => {
    const trafficPolice = await test.addSource("traffic-police", "agency", ["traffic.*"]);
    const document = (await test.app.inject({ method: "GET", url: "/docs/json" })).json();
    const operation = document.paths["/v1/events"].post;
    const requests = operation.requestBody.content["application/json"].examples;
    const responses = operation.responses["200"].content["application/json"].examples;
    type Answer = { counts: object; outcomes: Array<{ entryId?: number }> };
    const withoutIds = ({ counts, outcomes }: Answer) => ({
      counts,
      outcomes: outcomes.map(({ entryId: _, ...outcome }) => outcome),
    });
    for (const name of ["single", "batch"]) {
      const response = await post(requests[name].value, trafficPolice);
      expect(withoutIds(response.json()), name).toEqual(withoutIds(responses[name].value));
    }
  });
});
