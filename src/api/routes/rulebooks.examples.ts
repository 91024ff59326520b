import type { rulebookJson } from "../../ledger/rulebook.view.js";

/** Example bodies of the rulebook routes, as the OpenAPI document shows them. */

type RulebookView = ReturnType<typeof rulebookJson>;

/** The rulebook in force, abridged to two of its rules and one benefit; its text says the same. */
const abridgedRulebook: RulebookView = {
  version: 2,
  publishedAt: "2026-03-01T09:00:00.000Z",
  publishedBy: "admin",
  title: "Civic Credit default rulebook",
  baseScore: 1000,
  ratingThresholds: { AAA: 1300, AA: 1150, A: 1000, B: 850, C: 600 },
  cameraConfidenceMin: 0.9,
  rules: [
    {
      type: "traffic.red_light",
      category: "traffic",
      points: -10,
      expiresAfterDays: 365,
      cap: null,
      legalBasis: "Road Traffic Regulations, signal compliance",
      description: "Drove or cycled through a red traffic light.",
    },
    {
      type: "civic.volunteering",
      category: "civic",
      points: 10,
      expiresAfterDays: 730,
      cap: { points: 50, windowDays: 30 },
      legalBasis: "Volunteer Service Regulation, registered volunteer hours",
      description: "Completed a registered volunteering shift.",
    },
  ],
  benefits: [
    {
      id: "loan_discount",
      name: "Loan discount",
      description: "A discounted interest rate on a personal loan at participating banks.",
      ratingMin: "AAA",
      heldDaysMin: 180,
    },
  ],
  text: [
    "title: Civic Credit default rulebook",
    "baseScore: 1000",
    "ratingThresholds: { AAA: 1300, AA: 1150, A: 1000, B: 850, C: 600 }",
    "cameraConfidenceMin: 0.9",
    "rules:",
    "  - type: traffic.red_light",
    "    category: traffic",
    "    points: -10",
    "    expiresAfterDays: 365",
    "    legalBasis: Road Traffic Regulations, signal compliance",
    "    description: Drove or cycled through a red traffic light.",
    "  - type: civic.volunteering",
    "    category: civic",
    "    points: 10",
    "    expiresAfterDays: 730",
    "    cap: { points: 50, windowDays: 30 }",
    "    legalBasis: Volunteer Service Regulation, registered volunteer hours",
    "    description: Completed a registered volunteering shift.",
    "benefits:",
    "  - id: loan_discount",
    "    name: Loan discount",
    "    description: A discounted interest rate on a personal loan at participating banks.",
    "    ratingMin: AAA",
    "    heldDaysMin: 180",
    "",
  ].join("\n"),
};

export const rulebookExample = {
  summary: "Version 2, abridged to two rules and one benefit",
  value: abridgedRulebook,
};

export const rulebookHistoryExample = {
  summary: "The first version and the one in force",
  value: {
    versions: [
      {
        version: 1,
        title: "Civic Credit default rulebook",
        publishedAt: "2025-12-01T08:00:00.000Z",
        publishedBy: "cli:operator",
      },
      {
        version: abridgedRulebook.version,
        title: abridgedRulebook.title,
        publishedAt: abridgedRulebook.publishedAt,
        publishedBy: abridgedRulebook.publishedBy,
      },
    ],
  },
};
