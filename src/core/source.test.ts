import { describe, expect, it } from "vitest";
import { agencySource } from "../test-support/core.js";
import { sourceMayReport, typeMatches, typePatternRegex } from "./source.js";

describe("type patterns", () => {
  it.each([
    ["*", "traffic.red_light", true],
    ["traffic.*", "traffic.red_light", true],
    ["traffic.*", "traffic.red_light.night", true],
    ["traffic.*", "trafficking.red_light", false],
    ["traffic.*", "public.littering", false],
    ["traffic.red_light", "traffic.red_light", true],
    ["traffic.red_light", "traffic.red_lights", false],
    ["traffic.red", "traffic.red_light", false],
    ["finance.loan.*", "finance.loan.repaid", true],
    ["finance.loan.*", "finance.loan_repaid_on_time", false],
  ])("%s matches %s: %s", (pattern, type, expected) => {
    expect(typeMatches(pattern, type)).toBe(expected);
  });

  it.each(["*", "traffic.*", "traffic.red_light", "finance.loan.*", "civic"])(
    "accepts the pattern %s",
    (pattern) => {
      expect(typePatternRegex.test(pattern)).toBe(true);
    },
  );

  it.each([
    "",
    "traffic*",
    "*.red_light",
    "traffic.*.night",
    "traffic.**",
    "Traffic.*",
    "traffic.",
    ".*",
    "**",
  ])("refuses the pattern %j, which would match nothing or not what it says", (pattern) => {
    expect(typePatternRegex.test(pattern)).toBe(false);
  });

  it("lets a source report a type when any of its patterns matches", () => {
    const source = { ...agencySource, allowedTypes: ["traffic.*", "civic.volunteering"] };
    expect(sourceMayReport(source, "civic.volunteering")).toBe(true);
    expect(sourceMayReport(source, "traffic.jaywalking")).toBe(true);
    expect(sourceMayReport(source, "civic.heroic_act")).toBe(false);
    expect(sourceMayReport({ ...source, allowedTypes: [] }, "traffic.jaywalking")).toBe(false);
  });
});
