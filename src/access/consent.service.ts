import { consentLive } from "../core/consent.js";
import type { Purpose } from "../core/purpose.js";
import { days, type Instant } from "../core/time.js";
import type { AccessStore, ConsentRecord } from "../store/access.store.js";

/** A consent lasts at most this long; the subject renews it if they wish. */
export const consentDaysMax = 365;

export type ConsentGrant = Readonly<{ partner: string; purpose: Purpose; until: Instant }>;

export type ConsentState = "live" | "revoked" | "expired";

/** Why a consent cannot be given: a closed list, each with its facts. */
export const consentRefusalReasons = [
  "public_task_needs_no_consent",
  "unknown_partner",
  "purpose_not_declared",
  "until_not_in_future",
  "consent_too_long",
] as const;
export type ConsentRefusalReason = (typeof consentRefusalReasons)[number];

export type ConsentRefusal =
  | Readonly<{ reason: "public_task_needs_no_consent" }>
  | Readonly<{ reason: "unknown_partner"; partner: string }>
  | Readonly<{
      reason: "purpose_not_declared";
      partner: string;
      purpose: Purpose;
      declaredPurposes: readonly Purpose[];
    }>
  | Readonly<{ reason: "until_not_in_future" }>
  | Readonly<{ reason: "consent_too_long"; daysMax: number }>;

/** The refusal in English (clients that word it themselves use `reason` and the facts). */
export function consentRefusalMessage(refusal: ConsentRefusal): string {
  switch (refusal.reason) {
    case "public_task_needs_no_consent":
      return "authorities acting on 'public_task' need no consent; none can be given";
    case "unknown_partner":
      return `there is no partner named '${refusal.partner}'`;
    case "purpose_not_declared":
      return `partner '${refusal.partner}' has not declared the purpose '${refusal.purpose}'; it declared ${refusal.declaredPurposes.join(", ")}`;
    case "until_not_in_future":
      return "`until` must be in the future";
    case "consent_too_long":
      return `a consent may last at most ${refusal.daysMax} days`;
  }
}

/**
 * Grants a consent after checking it can mean something: the partner exists and has declared
 * the purpose, and the consent ends in the future but within `consentDaysMax`.
 */
export async function grantConsent(
  store: AccessStore,
  subjectId: string,
  grant: ConsentGrant,
  now: Instant,
): Promise<ConsentRecord | { refused: ConsentRefusal }> {
  const refused = await consentRefusalOf(store, grant, now);
  if (refused) return { refused };
  return store.grantConsent(subjectId, grant, now);
}

async function consentRefusalOf(
  store: AccessStore,
  grant: ConsentGrant,
  now: Instant,
): Promise<ConsentRefusal | undefined> {
  if (grant.purpose === "public_task") return { reason: "public_task_needs_no_consent" };
  const partner = await store.partner(grant.partner);
  if (!partner) return { reason: "unknown_partner", partner: grant.partner };
  if (!partner.purposes.includes(grant.purpose)) {
    return {
      reason: "purpose_not_declared",
      partner: partner.name,
      purpose: grant.purpose,
      declaredPurposes: partner.purposes,
    };
  }
  if (grant.until <= now) return { reason: "until_not_in_future" };
  if (grant.until > now + days(consentDaysMax)) {
    return { reason: "consent_too_long", daysMax: consentDaysMax };
  }
  return undefined;
}

export function consentState(consent: ConsentRecord, now: Instant): ConsentState {
  if (consent.revokedAt !== undefined && consent.revokedAt <= now) return "revoked";
  return consentLive(consent, now) ? "live" : "expired";
}
