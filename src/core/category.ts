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
    "demonstration*",
    "activis*",
    "dissid*",
    "against the government",
    "opposition party",
    "opposition parties",
  ],
  religion: [
    "religio*",
    "church*",
    "mosque*",
    "temple*",
    "synagogue*",
    "faith",
    "worship*",
    "prayer*",
    "mass",
    "sunday service*",
    "sabbath",
    "ramadan",
    "halal",
    "kosher",
    "clergy",
    "priest*",
    "imam*",
    "rabbi*",
    "monk",
    "monks",
    "pilgrim*",
    "spiritual*",
    "bible*",
    "koran*",
    "quran*",
    "christian*",
    "muslim*",
    "islam*",
    "jewish",
    "judaism",
    "hindu*",
    "buddhis*",
    "sikh*",
    "atheis*",
    "sect",
    "sects",
    "cult",
    "cults",
  ],
  ethnicity: [
    "ethnic*",
    "racial",
    "minority",
    "minorities",
    "indigenous",
    "tribal",
    "caste",
    "skin colo*",
  ],
  health: [
    "medical",
    "diagnos*",
    "disease*",
    "illness*",
    "pregnan*",
    "disabilit*",
    "mental health",
    "health record*",
    "medication*",
    "antiretroviral*",
    "hiv",
    "aids",
    "cancer",
    "psychiatr*",
    "therapy",
    "therapist*",
    "abortion*",
    "contracepti*",
    "vaccin*",
  ],
  sex_life: [
    "porn*",
    "sexual*",
    "sex",
    "adult content",
    "adult site*",
    "adult website*",
    "dating",
    "erotic*",
    "condom*",
    "prostitut*",
    "brothel*",
    "adultery",
    "infidelity",
  ],
  sexual_orientation: [
    "orientation",
    "gay",
    "lesbian",
    "homosexual*",
    "bisexual*",
    "transgender",
    "lgbt*",
  ],
  trade_union: [
    "union",
    "unions",
    "unionis*",
    "unioniz*",
    "strike",
    "strikes",
    "walkout*",
    "picket*",
    "collective bargaining",
  ],
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
    // Not "friend*": that would refuse "eco-friendly" or "user-friendly".
    "friend",
    "friends",
    "friendship*",
    "befriend*",
    "spouse*",
    "acquaintance*",
    "follower*",
    "by association",
    "family member*",
    "household member*",
    "sibling*",
    "cousin*",
    "neighbour*",
    "neighbor*",
    "colleague*",
    "companion*",
    "passenger of",
    "seen with",
    "someone else's",
    "another person's",
    // Whoever scores a person by somebody's rating scores them by association: a rule about
    // conduct never needs to name a rating.
    "rating",
    "ratings",
    "rated",
  ],
} as const;
export type ForbiddenCategory = keyof typeof forbiddenCategories;

export function isAllowedCategory(name: string): name is Category {
  return Object.hasOwn(allowedCategories, name);
}

export function isForbiddenCategory(name: string): name is ForbiddenCategory {
  return Object.hasOwn(forbiddenCategories, name);
}

/**
 * Everyday phrases that contain a forbidden term but name no special category: a loan from a
 * credit union, a European Union regulation, a contract performed in good faith, a fare dodged
 * on mass transit. They are blanked
 * before terms are matched, so "credit union" passes while "union" alone is still refused.
 */
export const innocentPhrases = [
  "credit union",
  "credit unions",
  "european union",
  "good faith",
  "bad faith",
  "mass transit",
] as const;

/** The first forbidden term in `text` and the special category it belongs to, if any. */
export function findForbiddenTerm(
  text: string,
): { category: ForbiddenCategory; term: string } | undefined {
  let normalised = text.toLowerCase();
  for (const phrase of innocentPatterns) normalised = normalised.replace(phrase, " ");
  // One pass for the usual case, a text without any term; the lists are read in order after.
  if (!anyTermPattern.test(normalised)) return undefined;
  for (const { category, term, pattern } of termPatterns) {
    if (pattern.test(normalised)) return { category, term };
  }
  return undefined;
}

/**
 * Terms match whole words, where `_`, `.`, `-` and spaces separate words; a term ending in `*`
 * matches any word that starts with it ("critici*" matches "criticising").
 */
function termPattern(term: string, flags = ""): RegExp {
  const prefix = term.endsWith("*");
  const body = (prefix ? term.slice(0, -1) : term).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `(^|[^a-z0-9])${body.replace(/ /g, "[ _.-]")}${prefix ? "" : "(?=$|[^a-z0-9])"}`,
    flags,
  );
}

const termPatterns = Object.entries(forbiddenCategories).flatMap(([category, terms]) =>
  terms.map((term) => ({
    category: category as ForbiddenCategory,
    term,
    pattern: termPattern(term),
  })),
);

const anyTermPattern = new RegExp(termPatterns.map(({ pattern }) => pattern.source).join("|"));

const innocentPatterns = innocentPhrases.map((phrase) => termPattern(phrase, "g"));
