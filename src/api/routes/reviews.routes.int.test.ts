import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, reportOne, signIn } from "../../test-support/citizen.js";
import { decisionReasonLengthMax } from "./review.schemas.js";

let test: TestApp;
let reviewer: string;
let camera: string;
let police: string;
let citizen: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([{ id: "c-001", region: "north" }]);
  citizen = await signIn(test, "c-001");
  reviewer = await test.keyFor("reviewer", "rita");
  camera = await test.addSource("camera-7", "camera", ["traffic.*"]);
  police = await test.addSource("police", "agency", ["traffic.*"]);
});
afterEach(async () => {
  await test.close();
});

const hourAgo = () => formatInstant(test.clock.now - 3_600_000);
const uncertain = () => ({ occurredAt: hourAgo(), confidence: 0.5 });

describe("GET /v1/reviews", () => {
  it("lists entries waiting for review with evidence and confidence", async () => {
    const entryId = await reportOne(test, camera, uncertain());
    await reportOne(test, police, { occurredAt: hourAgo() });
    const response = await call(test, "GET", "/v1/reviews", { key: reviewer });
    expect(response.json()).toMatchObject({
      cameraConfidenceMin: 0.9,
      entries: [
        {
          id: entryId,
          subjectId: "c-001",
          status: "pending_review",
          confidence: 0.5,
          sourceKind: "camera",
          evidence: { description: "Signal red for 3 s" },
        },
      ],
    });
  });

  it("shows the region and attributes the camera reported, and omits them when it gave none", async () => {
    const attributes = { signal_state: "red", crossing_seconds: 4 };
    const reported = await reportOne(test, camera, {
      ...uncertain(),
      region: "rongcheng",
      attributes,
    });
    const plain = await reportOne(test, camera, uncertain());
    const { entries } = (await call(test, "GET", "/v1/reviews", { key: reviewer })).json();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ id: reported, region: "rongcheng", attributes });
    expect(entries[1].id).toBe(plain);
    expect(entries[1]).not.toHaveProperty("region");
    expect(entries[1]).not.toHaveProperty("attributes");
  });

  it("is for reviewers only", async () => {
    for (const key of [citizen, camera, test.adminKey]) {
      expect(problemOf(await call(test, "GET", "/v1/reviews", { key })).code).toBe("forbidden");
    }
  });
});

describe("POST /v1/reviews/:entryId", () => {
  it("confirms: the entry counts, and the change names the reviewer", async () => {
    const entryId = await reportOne(test, camera, uncertain());
    const response = await call(test, "POST", `/v1/reviews/${entryId}`, {
      key: reviewer,
      body: { decision: "confirm", reason: "plate and face of the driver are clear" },
    });
    expect(response.json()).toEqual({ entryId, status: "effective" });
    const transitions = await test.store.transitions(entryId);
    expect(transitions).toMatchObject([{ kind: "confirmed", actor: "rita" }]);
    const queue = (await call(test, "GET", "/v1/reviews", { key: reviewer })).json();
    expect(queue.entries).toEqual([]);
  });

  it("rejects: the entry never counts", async () => {
    const entryId = await reportOne(test, camera, uncertain());
    const response = await call(test, "POST", `/v1/reviews/${entryId}`, {
      key: reviewer,
      body: { decision: "reject", reason: "the plate is unreadable" },
    });
    expect(response.json().status).toBe("rejected");
    expect((await call(test, "GET", "/v1/me", { key: citizen })).json().score).toBe(1000);
  });

  it("refuses to review an entry twice, an unknown entry, or without a reason", async () => {
    const entryId = await reportOne(test, camera, uncertain());
    const oversized = await call(test, "POST", `/v1/reviews/${entryId}`, {
      key: reviewer,
      body: { decision: "confirm", reason: "x".repeat(decisionReasonLengthMax + 1) },
    });
    expect(problemOf(oversized).code).toBe("validation_failed");
    const body = { decision: "confirm", reason: "x".repeat(decisionReasonLengthMax) };
    await call(test, "POST", `/v1/reviews/${entryId}`, { key: reviewer, body });
    const twice = await call(test, "POST", `/v1/reviews/${entryId}`, { key: reviewer, body });
    expect(problemOf(twice).code).toBe("conflict");
    const unknown = await call(test, "POST", "/v1/reviews/999999", { key: reviewer, body });
    expect(problemOf(unknown).code).toBe("not_found");
    const reasonless = await call(test, "POST", `/v1/reviews/${entryId}`, {
      key: reviewer,
      body: { decision: "confirm", reason: " " },
    });
    expect(problemOf(reasonless).code).toBe("validation_failed");
  });
});
