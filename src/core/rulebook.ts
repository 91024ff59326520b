import {
  allowedCategories,
  type Category,
  findForbiddenTerm,
  isAllowedCategory,
  isForbiddenCategory,
} from "./category.js";
import type { Rating, RatingThresholds } from "./rating.js";
import type { RulebookDocument } from "./rulebook.schema.js";
import { days } from "./time.js";

/** A cap allowing more awards than this per window is no cap; it only costs memory. */
export const capAwardsPerWindowMax = 1_000;

export type Cap = Readonly<{ points: number; windowDays: number; windowMilliseconds: number }>;

export type Rule = Readonly<{
  /** Dense index of the rule in its rulebook, for array-indexed hot paths. */
  index: number;
  type: string;
  category: Category;
  points: number;
  expiresAfterDays: number;
  expiresAfterMilliseconds: number;
  cap: Cap | undefined;
  legalBasis: string;
  description: string;
}>;

export type Benefit = Readonly<{
  id: string;
  name: string;
  description: string;
  ratingMin: Rating;
  heldDaysMin: number;
}>;

export type Rulebook = Readonly<{
  title: string;
  baseScore: number;
  ratingThresholds: RatingThresholds;
  cameraConfidenceMin: number;
  rules: readonly Rule[];
  benefits: readonly Benefit[];
  ruleByType: ReadonlyMap<string, Rule>;
}>;

/** One reason a rulebook was refused; `path` names the field, e.g. `rules[3].category`. */
export type RulebookProblem = Readonly<{
  path: (string | number)[];
  message: string;
}>;

export type CompileResult =
  | { ok: true; rulebook: Rulebook }
  | { ok: false; problems: RulebookProblem[] };

/** Semantic checks beyond the schema: the charter's refusals and internal consistency. */
export function compileRulebook(document: RulebookDocument): CompileResult {
  const problems: RulebookProblem[] = [];
  problems.push(...checkThresholds(document));
  const seenTypes = new Map<string, number>();
  document.rules.forEach((rule, index) => {
    const at = (field: string): (string | number)[] => ["rules", index, field];
    const firstIndex = seenTypes.get(rule.type);
    if (firstIndex !== undefined) {
      problems.push({
        path: at("type"),
        message: `duplicate type '${rule.type}' (first defined by rules[${firstIndex}])`,
      });
    } else {
      seenTypes.set(rule.type, index);
    }
    problems.push(...checkCategory(rule.type, rule.category, at));
    for (const field of ["type", "description", "legalBasis"] as const) {
      const found = findForbiddenTerm(rule[field]);
      if (found) {
        problems.push({
          path: at(field),
          message: `uses '${found.term}', a term of the forbidden special category '${found.category}' (charter item 7)`,
        });
      }
    }
    if (rule.cap && Math.sign(rule.cap.points) !== Math.sign(rule.points)) {
      problems.push({
        path: at("cap"),
        message: "cap points must have the same sign as the rule's points",
      });
    } else if (rule.cap && Math.abs(rule.cap.points) < Math.abs(rule.points)) {
      problems.push({
        path: at("cap"),
        message: "cap is smaller than one event's points: every event would be capped",
      });
    } else if (
      rule.cap &&
      Math.abs(rule.cap.points) > capAwardsPerWindowMax * Math.abs(rule.points)
    ) {
      problems.push({
        path: at("cap"),
        message: `cap allows more than ${capAwardsPerWindowMax} awards per window; use no cap instead`,
      });
    }
  });
  const seenBenefits = new Set<string>();
  document.benefits.forEach((benefit, index) => {
    if (seenBenefits.has(benefit.id)) {
      problems.push({
        path: ["benefits", index, "id"],
        message: `duplicate benefit id '${benefit.id}'`,
      });
    }
    seenBenefits.add(benefit.id);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rulebook: build(document) };
}

function checkThresholds(document: RulebookDocument): RulebookProblem[] {
  const order = ["AAA", "AA", "A", "B", "C"] as const;
  const problems: RulebookProblem[] = [];
  for (let index = 1; index < order.length; index++) {
    const higher = order[index - 1] as (typeof order)[number];
    const lower = order[index] as (typeof order)[number];
    if (document.ratingThresholds[lower] >= document.ratingThresholds[higher]) {
      problems.push({
        path: ["ratingThresholds", lower],
        message: `thresholds out of order: ${lower} (${document.ratingThresholds[lower]}) must be below ${higher} (${document.ratingThresholds[higher]})`,
      });
    }
  }
  if (document.ratingThresholds.C <= 0) {
    problems.push({ path: ["ratingThresholds", "C"], message: "the C threshold must be above 0" });
  }
  return problems;
}

function checkCategory(
  type: string,
  category: string,
  at: (field: string) => (string | number)[],
): RulebookProblem[] {
  if (isForbiddenCategory(category)) {
    return [
      {
        path: at("category"),
        message: `category '${category}' is a forbidden special category (charter item 7): no rule may score it`,
      },
    ];
  }
  if (!isAllowedCategory(category)) {
    return [
      {
        path: at("category"),
        message: `unknown category '${category}'; allowed: ${Object.keys(allowedCategories).join(", ")}`,
      },
    ];
  }
  const namespace = allowedCategories[category];
  if (!type.startsWith(namespace)) {
    return [
      {
        path: at("type"),
        message: `a rule in category '${category}' must have a type starting with '${namespace}'`,
      },
    ];
  }
  return [];
}

function build(document: RulebookDocument): Rulebook {
  const rules: Rule[] = document.rules.map((rule, index) => ({
    index,
    type: rule.type,
    category: rule.category as Category,
    points: rule.points,
    expiresAfterDays: rule.expiresAfterDays,
    expiresAfterMilliseconds: days(rule.expiresAfterDays),
    cap: rule.cap ? { ...rule.cap, windowMilliseconds: days(rule.cap.windowDays) } : undefined,
    legalBasis: rule.legalBasis,
    description: rule.description,
  }));
  return {
    title: document.title,
    baseScore: document.baseScore,
    ratingThresholds: { ...document.ratingThresholds },
    cameraConfidenceMin: document.cameraConfidenceMin,
    rules,
    benefits: document.benefits.map((benefit) => ({ ...benefit })),
    ruleByType: new Map(rules.map((rule) => [rule.type, rule])),
  };
}
