/** The API's closed lists that forms offer as choices (the OpenAPI document's enums). */
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

/**
 * The purposes a citizen can consent to: not `public_task`, on which authorities ask by law
 * and which the API refuses as a consent ("authorities acting on 'public_task' need no consent").
 */
export const consentPurposes = purposes.filter(
  (purpose): purpose is Exclude<Purpose, "public_task"> => purpose !== "public_task",
);

export const sourceKinds = ["agency", "partner", "camera"] as const;

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

/** The roles an admin may issue a key for (admin keys come from `civic serve`). */
export const keyRoles = ["source", "partner", "reviewer"] as const;
