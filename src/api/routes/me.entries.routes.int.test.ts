import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatInstant } from "../../core/time.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, reportOne, signIn } from "../../test-support/citizen.js";

let test: TestApp;
let citizen: string;
let neighbour: string;
let police: string;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
  ]);
  citizen = await signIn(test, "c-001");
  neighbour = await signIn(test, "c-002");
  police = await test.addSource("police", "agency", ["traffic.*"]);
});
afterEach(async () => {
  await test.close();
});

const hourAgo = () => formatInstant(test.clock.now - 3_600_000);
const appealBody = { statement: "I was not driving that day." };

describe("GET /v1/me/entries", () => {
  it("answers every entry with its reason, rule, legal basis, source and evidence", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    await reportOne(test, police, { subject: "c-002", occurredAt: hourAgo() });
    const { entries, next } = (await call(test, "GET", "/v1/me/entries", { key: citizen })).json();
    expect(next).toBeUndefined();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: entryId,
      ruleType: "traffic.red_light",
      category: "traffic",
      source: "police",
      sourceKind: "agency",
      points: -10,
      status: "effective",
      counts: true,
      rulebookVersion: 1,
      evidence: { description: "Signal red for 3 s" },
    });
    expect(entries[0].reason.length).toBeGreaterThan(0);
    expect(entries[0].legalBasis.length).toBeGreaterThan(0);
  });

  it("answers the region and attributes the source reported, and omits them when it gave none", async () => {
    const attributes = { speed_kmh: 87, limit_kmh: 50, wet_road: true, lane: "left" };
    const reported = await reportOne(test, police, {
      occurredAt: hourAgo(),
      region: "rongcheng",
      attributes,
    });
    const plain = await reportOne(test, police, { occurredAt: hourAgo() });
    const { entries } = (await call(test, "GET", "/v1/me/entries", { key: citizen })).json();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ id: reported, region: "rongcheng", attributes });
    expect(entries[1].id).toBe(plain);
    expect(entries[1]).not.toHaveProperty("region");
    expect(entries[1]).not.toHaveProperty("attributes");
    const one = await call(test, "GET", `/v1/me/entries/${reported}`, { key: citizen });
    expect(one.json().entry).toMatchObject({ region: "rongcheng", attributes });
  });

  it("documents the region and attributes in the OpenAPI CitizenEntry schema", async () => {
    const document = (await test.app.inject({ method: "GET", url: "/docs/json" })).json();
    const { properties, required } = document.components.schemas.CitizenEntry;
    expect(properties.region.description).toMatch(/region/);
    expect(required).not.toContain("region");
    expect(required).not.toContain("attributes");
    const attributes = document.components.schemas.ConductAttributes;
    expect(attributes.description).toMatch(/as the source reported them/);
    expect(attributes.additionalProperties).toBeDefined();
    expect(JSON.stringify(properties.attributes)).toContain("ConductAttributes");
  });

  it("pages with `after` and `limit`", async () => {
    const first = await reportOne(test, police, { occurredAt: hourAgo() });
    const second = await reportOne(test, police, { occurredAt: hourAgo() });
    const page = (await call(test, "GET", "/v1/me/entries?limit=1", { key: citizen })).json();
    expect(page.entries.map((entry: { id: number }) => entry.id)).toEqual([first]);
    expect(page.next).toBe(first);
    const rest = (
      await call(test, "GET", `/v1/me/entries?after=${page.next}`, { key: citizen })
    ).json();
    expect(rest.entries.map((entry: { id: number }) => entry.id)).toEqual([second]);
    expect(rest.next).toBeUndefined();
  });
});

describe("GET /v1/me/entries/:id", () => {
  it("answers my entry with its changes; someone else's is not found", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const mine = await call(test, "GET", `/v1/me/entries/${entryId}`, { key: citizen });
    expect(mine.json()).toMatchObject({ entry: { id: entryId }, transitions: [], appeals: [] });
    const theirs = await call(test, "GET", `/v1/me/entries/${entryId}`, { key: neighbour });
    const missing = await call(test, "GET", "/v1/me/entries/999999", { key: neighbour });
    expect(problemOf(theirs)).toMatchObject({
      status: 404,
      detail: `you have no entry ${entryId}`,
      reason: "unknown_entry",
      entryId,
    });
    expect(problemOf(missing)).toMatchObject({ reason: "unknown_entry", entryId: 999999 });
    expect(problemOf(theirs).code).toBe(problemOf(missing).code);
  });
});

describe("POST /v1/me/entries/:id/appeal", () => {
  it("opens an appeal: the entry stops counting until decided", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const response = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
      key: citizen,
      body: { ...appealBody, evidenceUrl: "https://example.org/alibi.pdf" },
    });
    expect(response.statusCode).toBe(201);
    const appeal = response.json();
    expect(appeal).toMatchObject({ entryId, state: "open", decidedAtDeadline: false });
    expect(Date.parse(appeal.deadlineAt) - Date.parse(appeal.openedAt)).toBe(30 * 86_400_000);
    const me = (await call(test, "GET", "/v1/me", { key: citizen })).json();
    expect(me).toMatchObject({ score: 1000, openAppeals: 1 });
    const entry = (await call(test, "GET", `/v1/me/entries/${entryId}`, { key: citizen })).json();
    expect(entry.entry).toMatchObject({ status: "disputed", counts: false });
    expect(entry.entry.openAppeal.id).toBe(appeal.id);
    expect(entry.transitions).toMatchObject([{ kind: "appealed", actor: "subject:c-001" }]);
    const appeals = (await call(test, "GET", "/v1/me/appeals", { key: citizen })).json();
    expect(appeals.appeals).toMatchObject([{ id: appeal.id, state: "open" }]);
  });

  it("refuses a second appeal of the same entry (conflict)", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const url = `/v1/me/entries/${entryId}/appeal`;
    await call(test, "POST", url, { key: citizen, body: appealBody });
    const again = await call(test, "POST", url, { key: citizen, body: appealBody });
    expect(problemOf(again)).toMatchObject({
      code: "conflict",
      detail: `entry ${entryId} was appealed before: an entry is appealed once`,
      reason: "appealed_before",
      entryId,
    });
  });

  it("refuses a second appeal after the first was decided (appealed once, ever)", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const url = `/v1/me/entries/${entryId}/appeal`;
    const appeal = (await call(test, "POST", url, { key: citizen, body: appealBody })).json();
    const decided = await test.store.decideAppeal(appeal.id, {
      outcome: "upheld",
      decidedBy: "reviewer:ana",
      at: test.clock.now,
      reason: "Two officers saw it.",
    });
    expect("refused" in decided).toBe(false);
    const again = await call(test, "POST", url, { key: citizen, body: appealBody });
    expect(problemOf(again)).toMatchObject({ reason: "appealed_before", entryId });
  });

  it("refuses to appeal an entry a reviewer rejected: it never counts", async () => {
    const camera = await test.addSource("camera-7", "camera", ["traffic.*"]);
    const entryId = await reportOne(test, camera, { occurredAt: hourAgo(), confidence: 0.5 });
    const rejected = await test.store.applyTransition(entryId, {
      kind: "rejected",
      actor: "reviewer:ana",
      at: test.clock.now,
      reason: "Not the subject's car.",
    });
    expect(rejected.ok).toBe(true);
    const response = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
      key: citizen,
      body: appealBody,
    });
    expect(problemOf(response)).toMatchObject({
      code: "conflict",
      detail: "an entry that is rejected cannot be appealed",
      reason: "entry_not_appealable",
      entryId,
      entryStatus: "rejected",
    });
    expect(await test.store.appealsOf("c-001")).toEqual([]);
  });

  it("answers someone else's entry as not found, and changes nothing", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const response = await call(test, "POST", `/v1/me/entries/${entryId}/appeal`, {
      key: neighbour,
      body: appealBody,
    });
    expect(problemOf(response)).toMatchObject({
      code: "not_found",
      detail: `you have no entry ${entryId}`,
      reason: "unknown_entry",
      entryId,
    });
    expect((await test.store.entry(entryId))?.status).toBe("effective");
  });

  it("refuses an empty statement and a non-http evidence link", async () => {
    const entryId = await reportOne(test, police, { occurredAt: hourAgo() });
    const url = `/v1/me/entries/${entryId}/appeal`;
    for (const body of [
      { statement: "   " },
      { statement: "fine", evidenceUrl: "javascript:alert(1)" },
      { statement: "x".repeat(4_001) },
    ]) {
      expect(problemOf(await call(test, "POST", url, { key: citizen, body })).code).toBe(
        "validation_failed",
      );
    }
  });
});
