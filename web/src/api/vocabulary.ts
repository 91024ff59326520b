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
