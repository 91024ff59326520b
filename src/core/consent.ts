import type { Disclosure, PartnerKind, Purpose } from "./purpose.js";
import { disclosuresByPurpose } from "./purpose.js";
import { days, type Instant } from "./time.js";

/** An employer may rely only on a consent given this recently (issue: employment queries). */
export const employmentConsentDaysMax = 30;

export type Consent = Readonly<{
  partner: string;
  purpose: Purpose;
  grantedAt: Instant;
  until: Instant;
  revokedAt: Instant | undefined;
}>;

export type PartnerProfile = Readonly<{
  name: string;
  kind: PartnerKind;
  purposes: readonly Purpose[];
}>;

export type InquiryRequest = Readonly<{
  partner: PartnerProfile;
  purpose: Purpose;
  disclosure: Disclosure;
  at: Instant;
}>;

export const inquiryRefusals = [
  "purpose_not_declared",
  "disclosure_not_allowed_for_purpose",
  "public_task_only_for_authorities",
  "no_live_consent",
  "employment_consent_too_old",
] as const;
export type InquiryRefusal = (typeof inquiryRefusals)[number];

export type InquiryDecision =
  | Readonly<{ allowed: true; legalGround: "consent" | "public_task" }>
  | Readonly<{ allowed: false; refusal: InquiryRefusal; message: string }>;

export function consentLive(consent: Consent, at: Instant): boolean {
  return (
    consent.grantedAt <= at &&
    at < consent.until &&
    (consent.revokedAt === undefined || at < consent.revokedAt)
  );
}

/**
 * Charter item 5: access is purpose-bound and consent-gated. Authorities acting on a legal basis
 * (purpose `public_task`) need no consent; everyone else needs a live consent for this partner and
 * purpose. Every decision, allowed or not, is logged as an inquiry the subject sees.
 */
export function decideInquiry(
  request: InquiryRequest,
  consents: readonly Consent[],
): InquiryDecision {
  const { partner, purpose, disclosure, at } = request;
  if (!partner.purposes.includes(purpose)) {
    return refuse(
      "purpose_not_declared",
      `partner '${partner.name}' has not declared the purpose '${purpose}'`,
    );
  }
  if (!disclosuresByPurpose[purpose].includes(disclosure)) {
    return refuse(
      "disclosure_not_allowed_for_purpose",
      `the purpose '${purpose}' may disclose ${disclosuresByPurpose[purpose].join(", ")}, not '${disclosure}'`,
    );
  }
  if (purpose === "public_task") {
    if (partner.kind !== "authority") {
      return refuse(
        "public_task_only_for_authorities",
        "only an authority may act on the purpose 'public_task'",
      );
    }
    return { allowed: true, legalGround: "public_task" };
  }
  const live = consents.filter(
    (consent) =>
      consent.partner === partner.name && consent.purpose === purpose && consentLive(consent, at),
  );
  if (live.length === 0) {
    return refuse(
      "no_live_consent",
      `the subject has not given '${partner.name}' a live consent for '${purpose}'`,
    );
  }
  if (
    purpose === "employment" &&
    !live.some((consent) => at - consent.grantedAt <= days(employmentConsentDaysMax))
  ) {
    return refuse(
      "employment_consent_too_old",
      `an employment inquiry needs a consent given within the last ${employmentConsentDaysMax} days`,
    );
  }
  return { allowed: true, legalGround: "consent" };
}

function refuse(refusal: InquiryRefusal, message: string): InquiryDecision {
  return { allowed: false, refusal, message };
}
