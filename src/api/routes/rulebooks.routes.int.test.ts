import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRulebook } from "../../core/rulebook.parse.js";
import { parseInstant } from "../../core/time.js";
import { rulebookJson } from "../../ledger/rulebook.view.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { defaultRulebookText, designRules } from "../../test-support/core.js";

let test: TestApp;
beforeAll(async () => {
  test = await openTestApp();
});
afterAll(() => test.close());

describe("the rulebook, to anyone", () => {
  it("GET /v1/rulebook answers every rule with its legal basis, thresholds and benefits", async () => {
    const response = await test.app.inject({ method: "GET", url: "/v1/rulebook" });
    expect(response.statusCode).toBe(200);
    const rulebook = response.json();
    expect(rulebook.version).toBe(1);
    expect(rulebook.ratingThresholds).toEqual({ AAA: 1300, AA: 1150, A: 1000, B: 850, C: 600 });
    expect(rulebook.text).toBe(defaultRulebookText);
    for (const [type, category, points, expiresAfterDays] of designRules) {
      const rule = rulebook.rules.find((candidate: { type: string }) => candidate.type === type);
      expect(rule).toMatchObject({ category, points, expiresAfterDays });
      expect(rule.legalBasis.length).toBeGreaterThan(0);
    }
  });

  it("GET /v1/rulebooks lists the history; /v1/rulebooks/:version answers one", async () => {
    const history = await test.app.inject({ method: "GET", url: "/v1/rulebooks" });
    expect(history.json().versions).toMatchObject([{ version: 1, publishedBy: "test" }]);
    const one = await test.app.inject({ method: "GET", url: "/v1/rulebooks/1" });
    expect(one.json().version).toBe(1);
    const missing = await test.app.inject({ method: "GET", url: "/v1/rulebooks/7" });
    expect(problemOf(missing)).toMatchObject({ status: 404, code: "not_found" });
    const junk = await test.app.inject({ method: "GET", url: "/v1/rulebooks/one" });
    expect(problemOf(junk)).toMatchObject({ status: 400, code: "validation_failed" });
  });

  it("GET /v1/benefits answers the programmes", async () => {
    const response = await test.app.inject({ method: "GET", url: "/v1/benefits" });
    const ids = response.json().benefits.map((benefit: { id: string }) => benefit.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(response.json().benefits[0]).toHaveProperty("heldDaysMin");
  });
});

describe("the documented example", () => {
  it("is a rulebook that compiles to what the example shows", async () => {
    const document = (await test.app.inject({ method: "GET", url: "/docs/json" })).json();
    const media = document.paths["/v1/rulebook"].get.responses["200"].content["application/json"];
    const [example] = Object.values(media.examples) as Array<{
      value: ReturnType<typeof rulebookJson>;
    }>;
    const shown = example?.value;
    if (!shown) throw new Error("GET /v1/rulebook shows no example");
    const parsed = parseRulebook(shown.text, "example.yaml");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const publishedAt = parseInstant(shown.publishedAt) ?? Number.NaN;
    expect(rulebookJson({ ...shown, publishedAt, rulebook: parsed.rulebook })).toEqual(shown);
  });
});
