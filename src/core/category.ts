/**
 * Rule categories. The allowed list is closed: a rule in any other category does not compile.
 * Each allowed category owns a namespace of event types, so a rule cannot hide a forbidden
 * subject behind an innocent category name (a `civic.*` rule must be in `civic`).
 */
export const allowedCategories = {
  traffic: "traffic.",
  public_order: "public.",
  finance: "finance.",
  commerce: "commerce.",
  online_conduct: "online.",
  civic: "civic.",
  utilities: "utilities.",
} as const;
export type Category = keyof typeof allowedCategories;

/**
 * Charter item 7: special categories of personal data and profiling that no rule may touch.
 * The compiler refuses these categories by name, and refuses any rule whose type or description
 * uses one of the listed terms (the seed article's examples among them), whatever its category.
 */
export const forbiddenCategories = {
  political_opinion: [
    "politic*",
    "party newspaper",
    "party website",
    "propaganda",
    "protest*",
    "dissent*",
    "critici*",
    "ideolog*",
    "petition*",
    "vote",
    "voting",
    "line loyalty",
  ],
  religion: ["religio*", "church*", "mosque*", "temple*", "faith", "worship*", "prayer*"],
  ethnicity: ["ethnic*", "racial", "minority", "minorities"],
  health: [
    "medical",
    "diagnos*",
    "disease*",
    "illness*",
    "pregnan*",
    "disabilit*",
    "mental health",
    "health record*",
  ],
  sex_life: ["porn*", "sexual*", "sex", "adult content", "dating"],
  sexual_orientation: [
    "orientation",
    "gay",
    "lesbian",
    "homosexual*",
    "bisexual*",
    "transgender",
    "lgbt*",
  ],
  trade_union: ["union", "unions", "unionis*", "unioniz*"],
  biometric: [
    "biometric*",
    "face",
    "faces",
    "facial",
    "fingerprint*",
    "iris",
    "gait",
    "voiceprint*",
  ],
  genetic: ["genetic*", "dna", "genom*"],
  association: [
    "associat*",
    "relative",
    "relatives",
    "parent",
    "parents",
    "parental",
    "friend*",
    "spouse*",
    "acquaintance*",
    "follower*",
    "by association",
  ],
} as const;
export type ForbiddenCategory = keyof typeof forbiddenCategories;

export function isAllowedCategory(name: string): name is Category {
  return Object.hasOwn(allowedCategories, name);
}

export function isForbiddenCategory(name: string): name is ForbiddenCategory {
  return Object.hasOwn(forbiddenCategories, name);
}

/** The first forbidden term in `text` and the special category it belongs to, if any. */
export function findForbiddenTerm(
  text: string,
): { category: ForbiddenCategory; term: string } | undefined {
  const normalised = text.toLowerCase();
  for (const [category, terms] of Object.entries(forbiddenCategories)) {
    for (const term of terms) {
      if (containsTerm(normalised, term)) {
        return { category: category as ForbiddenCategory, term };
      }
    }
  }
  return undefined;
}

/**
 * Terms match whole words, where `_`, `.`, `-` and spaces separate words; a term ending in `*`
 * matches any word that starts with it ("critici*" matches "criticising").
 */
function containsTerm(text: string, term: string): boolean {
  const prefix = term.endsWith("*");
  const body = (prefix ? term.slice(0, -1) : term).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    `(^|[^a-z0-9])${body.replace(/ /g, "[ _.-]")}${prefix ? "" : "($|[^a-z0-9])"}`,
  );
  return pattern.test(text);
}
