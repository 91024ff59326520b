import { describe, expect, it } from "vitest";
import {
  defaultRulebook,
  defaultRulebookFile,
  defaultRulebookText,
  designRules,
} from "../test-support/core.js";
import { findForbiddenTerm } from "./category.js";
import { parseRulebook } from "./rulebook.parse.js";

describe("the default rulebook", () => {
  it("compiles", () => {
    const result = parseRulebook(defaultRulebookText, defaultRulebookFile);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("has the base score, thresholds and camera threshold of DESIGN sections 1 and 4", () => {
    expect(defaultRulebook.baseScore).toBe(1000);
    expect(defaultRulebook.ratingThresholds).toEqual({
      AAA: 1300,
      AA: 1150,
      A: 1000,
      B: 850,
      C: 600,
    });
    expect(defaultRulebook.cameraConfidenceMin).toBe(0.9);
  });

  it.each(designRules)(
    "has %s in %s: %i points for %i days",
    (type, category, points, expiry, cap) => {
      const rule = defaultRulebook.ruleByType.get(type);
      expect(rule).toMatchObject({ type, category, points, expiresAfterDays: expiry });
      expect(rule?.cap && { points: rule.cap.points, windowDays: rule.cap.windowDays }).toEqual(
        cap,
      );
      expect(rule?.legalBasis.trim()).not.toBe("");
      expect(rule?.description.trim()).not.toBe("");
    },
  );

  it("indexes its rules densely, in file order", () => {
    defaultRulebook.rules.forEach((rule, index) => {
      expect(rule.index).toBe(index);
      expect(defaultRulebook.ruleByType.get(rule.type)).toBe(rule);
    });
  });

  it.each([
    ["loan_discount", "AAA", 180],
    ["insurance_discount", "AA", 180],
    ["air_travel_discount", "A", 90],
    ["deposit_free_rental", "A", 0],
  ] as const)("offers %s for %s held %i days", (id, ratingMin, heldDaysMin) => {
    expect(defaultRulebook.benefits.find((benefit) => benefit.id === id)).toMatchObject({
      ratingMin,
      heldDaysMin,
    });
  });

  it("uses no forbidden term anywhere in its wording (no false refusal)", () => {
    const texts = [
      defaultRulebook.title,
      ...defaultRulebook.rules.flatMap((rule) => [rule.type, rule.description, rule.legalBasis]),
      ...defaultRulebook.benefits.flatMap((benefit) => [
        benefit.id,
        benefit.name,
        benefit.description,
      ]),
    ];
    const hits = texts.flatMap((text) => {
      const found = findForbiddenTerm(text);
      return found ? [{ text, ...found }] : [];
    });
    expect(hits).toEqual([]);
  });
});
