import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultDocument, seedExamples } from "../test-support/core.js";
import { allowedCategories, forbiddenCategories } from "./category.js";
import { compileRulebook, type RulebookProblem } from "./rulebook.js";
import type { RulebookDocument, RuleDocument } from "./rulebook.schema.js";

function problemsOf(document: RulebookDocument): RulebookProblem[] {
  const result = compileRulebook(document);
  return result.ok ? [] : result.problems;
}

function indexOfType(document: RulebookDocument, type: string): number {
  const index = document.rules.findIndex((rule) => rule.type === type);
  if (index < 0) throw new Error(`no ${type}`);
  return index;
}

function withRule(rule: Partial<RuleDocument>): { document: RulebookDocument; index: number } {
  const document = defaultDocument();
  document.rules.push({
    type: "civic.tree_planting",
    category: "civic",
    points: 5,
    expiresAfterDays: 365,
    legalBasis: "Urban Greening Ordinance",
    description: "Planted a tree in a registered greening scheme.",
    ...rule,
  });
  return { document, index: document.rules.length - 1 };
}

describe("compileRulebook", () => {
  it("accepts the default rulebook", () => {
    expect(problemsOf(defaultDocument())).toEqual([]);
  });

  it.each(Object.keys(forbiddenCategories))(
    "refuses a rule in the forbidden category %s",
    (category) => {
      const { document, index } = withRule({ category });
      expect(problemsOf(document)).toEqual([
        {
          path: ["rules", index, "category"],
          message: expect.stringMatching(`category '${category}' is a forbidden special category`),
        },
      ]);
    },
  );

  it.each(["gossip", "Traffic", "social", "toString", "__proto__"])(
    "refuses the unknown category %s",
    (category) => {
      const { document, index } = withRule({ category });
      expect(problemsOf(document)).toEqual([
        { path: ["rules", index, "category"], message: expect.stringMatching(/^unknown category/) },
      ]);
    },
  );

  it.each(Object.entries(allowedCategories))(
    "keeps %s rules inside the %s namespace",
    (category, namespace) => {
      const outside = category === "civic" ? "traffic.tree_planting" : "civic.tree_planting";
      const { document, index } = withRule({ category, type: outside });
      expect(problemsOf(document)).toEqual([
        {
          path: ["rules", index, "type"],
          message: `a rule in category '${category}' must have a type starting with '${namespace}'`,
        },
      ]);
      expect(
        problemsOf(withRule({ category, type: `${namespace}tree_planting` }).document),
      ).toEqual([]);
    },
  );

  it("refuses a duplicate type, naming the first definition", () => {
    const document = defaultDocument();
    document.rules.push({ ...(document.rules[3] as RuleDocument), points: -1 });
    expect(problemsOf(document)).toEqual([
      {
        path: ["rules", document.rules.length - 1, "type"],
        message: "duplicate type 'public.littering' (first defined by rules[3])",
      },
    ]);
  });

  it.each([
    ["AA", 1300],
    ["AA", 1400],
    ["A", 1150],
    ["B", 1001],
    ["C", 850],
  ] as const)("refuses thresholds out of order (%s at %i)", (rating, value) => {
    const document = defaultDocument();
    document.ratingThresholds[rating] = value;
    expect(problemsOf(document)).toContainEqual({
      path: ["ratingThresholds", rating],
      message: expect.stringMatching(/^thresholds out of order/),
    });
  });

  it("refuses a C threshold at or below 0", () => {
    const document = defaultDocument();
    document.ratingThresholds.C = 0;
    expect(problemsOf(document)).toEqual([
      { path: ["ratingThresholds", "C"], message: "the C threshold must be above 0" },
    ]);
  });

  it.each([
    ["commerce.healthy_purchase", -10],
    ["online.gaming_excess", 30],
  ])("refuses %s with a cap of the wrong sign (%i)", (type, capPoints) => {
    const document = defaultDocument();
    const index = indexOfType(document, type);
    const rule = document.rules[index] as RuleDocument;
    rule.cap = { points: capPoints, windowDays: 30 };
    expect(problemsOf(document)).toEqual([
      {
        path: ["rules", index, "cap"],
        message: "cap points must have the same sign as the rule's points",
      },
    ]);
  });

  it("refuses a cap on a rule worth 0 points", () => {
    const { document, index } = withRule({ points: 0, cap: { points: 5, windowDays: 30 } });
    expect(problemsOf(document).map((problem) => problem.path)).toEqual([["rules", index, "cap"]]);
  });

  it("refuses a cap smaller than one event, and one allowing more than 1000 awards", () => {
    const small = withRule({ points: 10, cap: { points: 9, windowDays: 30 } });
    expect(problemsOf(small.document)).toEqual([
      {
        path: ["rules", small.index, "cap"],
        message: "cap is smaller than one event's points: every event would be capped",
      },
    ]);
    const large = withRule({ points: -1, cap: { points: -1001, windowDays: 30 } });
    expect(problemsOf(large.document)[0]?.message).toMatch(/more than 1000 awards/);
    expect(
      problemsOf(withRule({ points: -1, cap: { points: -1000, windowDays: 30 } }).document),
    ).toEqual([]);
  });

  it("refuses duplicate benefit ids", () => {
    const document = defaultDocument();
    document.benefits.push({ ...(document.benefits[0] as RulebookDocument["benefits"][number]) });
    expect(problemsOf(document)).toEqual([
      { path: ["benefits", 4, "id"], message: "duplicate benefit id 'loan_discount'" },
    ]);
  });

  it("reports every problem at once, not only the first", () => {
    const document = defaultDocument();
    (document.rules[0] as RuleDocument).category = "religion";
    (document.rules[1] as RuleDocument).description = "Joined a protest march.";
    document.ratingThresholds.AA = 2000;
    expect(problemsOf(document).map((problem) => problem.path)).toEqual([
      ["ratingThresholds", "AA"],
      ["rules", 0, "category"],
      ["rules", 1, "description"],
    ]);
  });

  it("refuses a forbidden term in the legal basis too", () => {
    const { document, index } = withRule({ legalBasis: "Religious Affairs Regulation" });
    expect(problemsOf(document)).toEqual([
      {
        path: ["rules", index, "legalBasis"],
        message: expect.stringMatching(/'religio\*'.*'religion'/),
      },
    ]);
  });

  it("builds rules with millisecond expiries and cap windows", () => {
    const result = compileRulebook(defaultDocument());
    if (!result.ok) throw new Error("refused");
    const rule = result.rulebook.ruleByType.get("online.gaming_excess");
    expect(rule).toMatchObject({
      expiresAfterMilliseconds: 90 * 86_400_000,
      cap: { points: -30, windowDays: 30, windowMilliseconds: 30 * 86_400_000 },
    });
  });
});

describe("the seed article's examples", () => {
  const cases = seedExamples.flatMap((example) =>
    Object.entries(allowedCategories).map(([category, namespace]) => ({
      ...example,
      category,
      namespace,
    })),
  );

  it.each(cases)(
    "refuses $what in category $category",
    ({ category, namespace, typeName, points, description }) => {
      const { document, index } = withRule({
        type: `${namespace}${typeName}`,
        category,
        points,
        description,
      });
      const problems = problemsOf(document);
      expect(problems.map((problem) => problem.path)).toEqual([
        ["rules", index, "type"],
        ["rules", index, "description"],
      ]);
      for (const problem of problems) expect(problem.message).toMatch(/forbidden special category/);
    },
  );

  it.each(seedExamples)(
    "refuses $what by its type alone or its description alone",
    ({ typeName, description }) => {
      const byType = withRule({ type: `commerce.${typeName}`, category: "commerce" });
      expect(problemsOf(byType.document).map((problem) => problem.path)).toEqual([
        ["rules", byType.index, "type"],
      ]);
      const byDescription = withRule({ description });
      expect(problemsOf(byDescription.document).map((problem) => problem.path)).toEqual([
        ["rules", byDescription.index, "description"],
      ]);
    },
  );
});

describe("compileRulebook properties", () => {
  const innocentWords = ["paid", "late", "city", "bus", "daily", "report", "on", "time", "fee"];
  const word = fc.constantFrom(...innocentWords);
  const allTerms = Object.entries(forbiddenCategories).flatMap(([category, terms]) =>
    terms.map((term) => ({ category, term })),
  );
  /** A forbidden term as a concrete word or phrase: `critici*` may become `criticising`. */
  const termWord = fc
    .record({
      entry: fc.constantFrom(...allTerms),
      suffix: fc.stringMatching(/^[a-z]{0,6}$/),
    })
    .map(({ entry, suffix }) =>
      entry.term.endsWith("*") ? entry.term.slice(0, -1) + suffix : entry.term,
    );

  it("never compiles a rule in a forbidden category, whatever else it holds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(forbiddenCategories)),
        fc.constantFrom(...Object.values(allowedCategories)),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 3650 }),
        (category, namespace, points, expiresAfterDays) => {
          const { document } = withRule({
            type: `${namespace}good_conduct`,
            category,
            points,
            expiresAfterDays,
          });
          expect(compileRulebook(document).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never compiles an unknown category", () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((name) => !Object.hasOwn(allowedCategories, name)),
        (category) => {
          expect(compileRulebook(withRule({ category }).document).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never compiles a rule whose type or description uses a forbidden term", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.entries(allowedCategories)),
        fc.array(word, { maxLength: 3 }),
        termWord,
        fc.array(word, { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(" ", "_", "-", ". "),
        fc.boolean(),
        ([category, namespace], before, term, after, inType, separator, upperCase) => {
          const type = `${namespace}${[...before, term.replace(/ /g, "_"), ...after].join("_")}`;
          const sentence = [...before, term, ...after].join(separator);
          const description = `${upperCase ? sentence.toUpperCase() : sentence}.`;
          const { document, index } = withRule(
            inType ? { type, category } : { category, description },
          );
          const problems = problemsOf(document);
          expect(problems).toContainEqual({
            path: ["rules", index, inType ? "type" : "description"],
            message: expect.stringMatching(/forbidden special category/),
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
