import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRulebook } from "./rulebook.parse.js";

describe("the default rulebook", () => {
  it("compiles", () => {
    const result = parseRulebook(
      readFileSync("rulebooks/default.yaml", "utf8"),
      "rulebooks/default.yaml",
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
