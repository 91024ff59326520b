/** Why a partner asks (DESIGN section 3). */
export const purposes = [
  "credit",
  "insurance",
  "tenancy",
  "employment",
  "travel",
  "commerce",
  "public_task",
] as const;
export type Purpose = (typeof purposes)[number];

/** What an inquiry may disclose: never the entry history (charter item 5). */
export const disclosures = ["rating", "score", "eligibility"] as const;
export type Disclosure = (typeof disclosures)[number];

/**
 * Purpose binding: each purpose discloses only what it needs. A landlord learns a rating or a
 * yes/no, never the exact score; an airline or a shop only whether a benefit applies.
 */
export const disclosuresByPurpose: Readonly<Record<Purpose, readonly Disclosure[]>> = {
  credit: ["rating", "score", "eligibility"],
  insurance: ["rating", "eligibility"],
  tenancy: ["rating", "eligibility"],
  employment: ["rating"],
  travel: ["eligibility"],
  commerce: ["eligibility"],
  public_task: ["rating", "score", "eligibility"],
};

export const partnerKinds = [
  "bank",
  "employer",
  "landlord",
  "shopping_platform",
  "tour_operator",
  "airline",
  "insurer",
  "authority",
] as const;
export type PartnerKind = (typeof partnerKinds)[number];

export function isPurpose(value: string): value is Purpose {
  return (purposes as readonly string[]).includes(value);
}
