import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRulebook } from "../core/rulebook.parse.js";
import { sourceMayReport } from "../core/source.js";
import { repositoryRoot } from "../test-support/ledger.js";
import { simulatedTypes } from "./conduct.js";
import { personas } from "./personas.js";
import { SeededRandom } from "./random.js";
import { reporterOf, sourceByName } from "./sources.js";

const path = `${repositoryRoot}rulebooks/default.yaml`;
const parsed = parseRulebook(readFileSync(path, "utf8"), path);
if (!parsed.ok) throw new Error("the default rulebook does not compile");
const defaultTypes = parsed.rulebook.rules.map((rule) => rule.type);

describe("personas", () => {
  it("have a rate for every event type of the default rulebook", () => {
    expect([...simulatedTypes].sort()).toEqual([...defaultTypes].sort());
    for (const persona of personas) {
      for (const type of defaultTypes) expect(persona.ratesPerDay[type]).toBeGreaterThan(0);
    }
  });

  it("share the whole population", () => {
    const total = personas.reduce((sum, persona) => sum + persona.share, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it("are reported for every type by a source authorised for it", () => {
    const random = new SeededRandom(1);
    for (const type of defaultTypes) {
      for (let draw = 0; draw < 20; draw++) {
        const name = reporterOf(type, random);
        expect(name).toBeDefined();
        const source = sourceByName(name as string);
        expect(sourceMayReport({ id: 0, ...source }, type)).toBe(true);
      }
    }
  });
});
