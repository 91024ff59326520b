import { describe, expect, it } from "vitest";
import {
  defaultRulebookFile,
  defaultRulebookText,
  lineNumberOf,
  seedExamples,
} from "../test-support/core.js";
import { forbiddenCategories } from "./category.js";
import { formatPath } from "./field-path.js";
import {
  formatProblem,
  type LocatedProblem,
  parseRulebook,
  rulebookBytesMax,
  rulebookNestingDepthMax,
} from "./rulebook.parse.js";

const file = "rulebooks/test.yaml";

const header = `title: Test rulebook
baseScore: 1000
ratingThresholds:
  AAA: 1300
  AA: 1150
  A: 1000
  B: 850
  C: 600
cameraConfidenceMin: 0.9
rules:
`;

function rule(fields: {
  type: string;
  category: string;
  points?: number;
  legalBasis?: string | null;
  description?: string;
  cap?: string;
}): string {
  const lines = [
    `  - type: ${fields.type}`,
    `    category: ${fields.category}`,
    `    points: ${fields.points ?? -5}`,
    "    expiresAfterDays: 365",
  ];
  if (fields.cap) lines.push("    cap:", ...fields.cap.split("\n").map((line) => `      ${line}`));
  if (fields.legalBasis !== null) {
    lines.push(`    legalBasis: ${fields.legalBasis ?? "Public Order Ordinance"}`);
  }
  lines.push(`    description: ${fields.description ?? "Did something the ordinance forbids."}`);
  return `${lines.join("\n")}\n`;
}

const firstRules =
  rule({ type: "traffic.red_light", category: "traffic", points: -10 }) +
  rule({ type: "public.littering", category: "public_order" });

function problems(text: string, name = file): LocatedProblem[] {
  const result = parseRulebook(text, name);
  return result.ok ? [] : result.problems;
}

function formatted(text: string): string[] {
  return problems(text).map(formatProblem);
}

describe("parseRulebook", () => {
  it("accepts the default rulebook and returns both the rulebook and its document", () => {
    const result = parseRulebook(defaultRulebookText, defaultRulebookFile);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rulebook.rules).toHaveLength(result.document.rules.length);
    expect(result.document.title).toBe(result.rulebook.title);
  });

  it.each(Object.keys(forbiddenCategories))(
    "refuses category %s at its file, line and field",
    (category) => {
      const text = `${header}${firstRules}${rule({ type: "civic.anything", category })}`;
      const line = lineNumberOf(text, `category: ${category}`);
      expect(formatted(text)).toEqual([
        `${file}:${line}:15: rules[2].category: category '${category}' is a forbidden special category (charter item 7): no rule may score it`,
      ]);
    },
  );

  it("refuses an unknown category at its line", () => {
    const text = `${header}${firstRules}${rule({ type: "civic.gossip", category: "gossip" })}`;
    const [only] = formatted(text);
    expect(only).toContain(`${file}:${lineNumberOf(text, "category: gossip")}:`);
    expect(only).toContain("rules[2].category: unknown category 'gossip'");
  });

  it("refuses a rule without a legal basis, located at the rule", () => {
    const text = `${header}${firstRules}${rule({ type: "civic.x", category: "civic", legalBasis: null })}`;
    const [only] = formatted(text);
    expect(only).toContain(`${file}:${lineNumberOf(text, "type: civic.x")}:`);
    expect(only).toContain("rules[2].legalBasis:");
  });

  it.each([
    ['"   "', "legal basis must not be empty"],
    ["''", "legal basis must not be empty"],
    ["", "expected string"],
  ])("refuses a blank legal basis (%s) at its line", (value, message) => {
    const text = `${header}${firstRules}${rule({ type: "civic.x", category: "civic", legalBasis: value })}`;
    const line = lineNumberOf(text, "legalBasis:", "last");
    expect(formatted(text)).toEqual([
      expect.stringMatching(
        new RegExp(`^${file}:${line}:\\d+: rules\\[2\\]\\.legalBasis: .*${message}`),
      ),
    ]);
  });

  it("refuses thresholds out of order at the threshold's line", () => {
    const text = header.replace("  AA: 1150", "  AA: 1350") + firstRules;
    expect(formatted(text)).toEqual([
      `${file}:5:7: ratingThresholds.AA: thresholds out of order: AA (1350) must be below AAA (1300)`,
    ]);
  });

  it("refuses a duplicate type at the second definition", () => {
    const text = header + firstRules + rule({ type: "public.littering", category: "public_order" });
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "type: public.littering", "last")}:11: rules[2].type: duplicate type 'public.littering' (first defined by rules[1])`,
    ]);
  });

  it("refuses a cap of the wrong sign at the cap", () => {
    const text =
      header +
      firstRules +
      rule({
        type: "commerce.healthy_purchase",
        category: "commerce",
        points: 1,
        cap: "points: -10\nwindowDays: 30",
      });
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "      points: -10")}:7: rules[2].cap: cap points must have the same sign as the rule's points`,
    ]);
  });

  it("refuses a type outside its category's namespace at the type", () => {
    const text = header + firstRules + rule({ type: "civic.speeding", category: "traffic" });
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "type: civic.speeding")}:11: rules[2].type: a rule in category 'traffic' must have a type starting with 'traffic.'`,
    ]);
  });

  it.each(seedExamples)(
    "refuses $what, located at the type and the description",
    ({ typeName, description }) => {
      const text =
        header + firstRules + rule({ type: `civic.${typeName}`, category: "civic", description });
      const typeLine = lineNumberOf(text, `type: civic.${typeName}`);
      const descriptionLine = lineNumberOf(text, `description: ${description}`);
      expect(formatted(text)).toEqual([
        expect.stringMatching(new RegExp(`^${file}:${typeLine}:11: rules\\[2\\]\\.type: uses '`)),
        expect.stringMatching(
          new RegExp(`^${file}:${descriptionLine}:18: rules\\[2\\]\\.description: uses '`),
        ),
      ]);
    },
  );

  it("locates problems in the default rulebook file by its real line numbers", () => {
    const text = defaultRulebookText.replace("category: civic", "category: religion");
    const line = lineNumberOf(text, "category: religion");
    expect(formatted(text)).toEqual([
      expect.stringMatching(
        new RegExp(`^${file}:${line}:15: rules\\[10\\]\\.category: category 'religion'`),
      ),
    ]);
  });

  it("refuses a benefit id longer than 64 characters: ids travel in notification cursors", () => {
    const text = defaultRulebookText.replace("id: loan_discount", `id: ${"l".repeat(65)}`);
    expect(formatted(text)).toEqual([
      expect.stringMatching(/benefits\[0\]\.id: Too big: expected string to have <=64 characters$/),
    ]);
    const longest = defaultRulebookText.replace("id: loan_discount", `id: ${"l".repeat(64)}`);
    expect(formatted(longest)).toEqual([]);
  });

  it("refuses an unknown field at its own line", () => {
    const text = `${header}${firstRules}colour: blue\n`;
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "colour")}:9: colour: unknown field`,
    ]);
  });

  it("refuses a misspelt rule field at its line", () => {
    const text = header + firstRules.replace("expiresAfterDays: 365", "expiresAfterDay: 365");
    expect(formatted(text)).toContainEqual(
      `${file}:${lineNumberOf(text, "expiresAfterDay:")}:22: rules[0].expiresAfterDay: unknown field`,
    );
  });

  it("locates YAML syntax errors", () => {
    const text = header + firstRules.replace("    points: -10", "   points: -10");
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file, line: lineNumberOf(text, "   points: -10"), path: "" });
  });

  it("locates an unclosed quote", () => {
    const found = problems('title: "Test rulebook\nbaseScore: 1000\n');
    expect(found[0]?.message).toMatch(/quote/);
    expect(found[0]?.line).toBeTypeOf("number");
  });

  it("refuses duplicate keys at the second key", () => {
    const text = `${header}${firstRules}baseScore: 900\n`;
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "baseScore: 900")}:1: Map keys must be unique`,
    ]);
  });

  it("refuses duplicate keys inside a rule", () => {
    const text =
      header + firstRules.replace("    points: -10\n", "    points: -10\n    points: 10\n");
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "points: 10")}:5: Map keys must be unique`,
    ]);
  });

  it("refuses a YAML alias bomb quickly and clearly", () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
        (name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdefgh"[index]}`).join(",")}]`,
      ),
    ].join("\n");
    const started = performance.now();
    const found = problems(bomb);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(found).toEqual([
      {
        file,
        line: undefined,
        column: undefined,
        path: "",
        message: "YAML refused: Excessive alias count indicates a resource exhaustion attack",
      },
    ]);
  });

  it("accepts a few harmless aliases", () => {
    const text = `${header}${firstRules.replace("legalBasis: Public Order Ordinance", "legalBasis: &order Public Order Ordinance")}${rule({ type: "public.queue_jumping", category: "public_order", legalBasis: "*order" })}`;
    expect(problems(text)).toEqual([]);
  });

  it("refuses a file over rulebookBytesMax before parsing it, counting bytes, not characters", () => {
    const padding = (length: number, character: string) => `# ${character.repeat(length)}\n`;
    const exact = header + firstRules;
    const fits = exact + padding(rulebookBytesMax - Buffer.byteLength(exact) - 3, "x");
    expect(Buffer.byteLength(fits)).toBe(rulebookBytesMax);
    expect(problems(fits)).toEqual([]);
    expect(formatted(`${fits}#`)).toEqual([
      `${file}: file is ${rulebookBytesMax + 1} bytes; a rulebook may be at most ${rulebookBytesMax}`,
    ]);
    const wide = exact + padding(rulebookBytesMax / 2, "é");
    expect(wide.length).toBeLessThan(rulebookBytesMax);
    expect(formatted(wide)[0]).toMatch(/bytes; a rulebook may be at most/);
  });

  const deep = rulebookNestingDepthMax + 1;
  it.each([
    ["flow sequences", deep, (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`],
    ["flow sequences", 20_000, (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`],
    ["flow mappings", 20_000, (depth: number) => `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`],
    ["block sequences", 20_000, (depth: number) => "- ".repeat(depth)],
    [
      "indented sequences",
      deep,
      (depth: number) =>
        `a:\n${Array.from({ length: depth }, (_, level) => `${" ".repeat(level + 1)}- `).join("\n")}`,
    ],
    [
      "indented sequences",
      1_400,
      (depth: number) =>
        `a:\n${Array.from({ length: depth }, (_, level) => `${" ".repeat(level + 1)}- `).join("\n")}`,
    ],
  ])("refuses %s nested %i deep, quickly, without crashing", (_, depth, nested) => {
    // Before the depth limit, 20 kB of `[` after a deep block document aborted Node itself.
    const started = performance.now();
    const found = problems(nested(depth));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(found).toEqual([
      expect.objectContaining({
        message: `collections nested more than ${rulebookNestingDepthMax} deep`,
        line: expect.any(Number),
      }),
    ]);
  });

  it("does not count brackets in a comment as nesting", () => {
    const text = `${header}${firstRules}`.replace(
      "title: Test rulebook",
      `title: Test rulebook\n# ${"[".repeat(100)} brackets in a comment do not nest`,
    );
    expect(problems(text)).toEqual([]);
  });

  it.each([
    ["an empty file", "", /expected object, received null/],
    ["a scalar", "hello", /expected object, received string/],
    ["a list", "- a\n- b\n", /expected object, received array/],
    ["two documents", "title: a\n---\ntitle: b\n", /multiple documents/],
    ["an unresolved alias", "title: *nothing\n", /Unresolved alias/],
    ["a tab indentation", `${header}\tfoo: 1\n`, /Tabs/],
  ])("refuses %s without throwing", (_, text, message) => {
    expect(() => parseRulebook(text, file)).not.toThrow();
    expect(problems(text)[0]?.message).toMatch(message);
  });

  it("does not let a __proto__ key through", () => {
    const text = `${header}${firstRules}__proto__:\n  baseScore: 5\n`;
    expect(formatted(text)).toEqual([
      `${file}:${lineNumberOf(text, "baseScore: 5")}:3: __proto__: unknown field`,
    ]);
  });
});

describe("formatProblem and formatPath", () => {
  it("formats with and without a location and a path", () => {
    const base = { file: "a.yaml", line: 3, column: 7, path: "rules[0].type", message: "bad" };
    expect(formatProblem(base)).toBe("a.yaml:3:7: rules[0].type: bad");
    expect(formatProblem({ ...base, path: "" })).toBe("a.yaml:3:7: bad");
    expect(formatProblem({ ...base, line: undefined, column: undefined })).toBe(
      "a.yaml: rules[0].type: bad",
    );
  });

  it.each([
    [["rules", 3, "category"], "rules[3].category"],
    [["ratingThresholds", "AA"], "ratingThresholds.AA"],
    [[0, "id"], "[0].id"],
    [[], ""],
  ] as const)("writes %j as %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
