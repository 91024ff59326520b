import { consentLive } from "../core/consent.js";
import type { Purpose } from "../core/purpose.js";
import { days, type Instant } from "../core/time.js";
import type { AccessStore, ConsentRecord } from "../store/access.store.js";

/** A consent lasts at most this long; the subject renews it if they wish. */
export const consentDaysMax = 365;

export type ConsentGrant = Readonly<{ partner: string; purpose: Purpose; until: Instant }>;

export type ConsentState = "live" | "revoked" | "expired";

/**
 * Grants a consent after checking it can mean something: the partner exists and has declared
 * the purpose, and the consent ends in the future but within `consentDaysMax`.
 */
export async function grantConsent(
  store: AccessStore,
  subjectId: string,
  grant: ConsentGrant,
  now: Instant,
): Promise<ConsentRecord | { refused: string }> {
  if (grant.purpose === "public_task") {
    return { refused: "authorities acting on 'public_task' need no consent; none can be given" };
  }
  const partner = await store.partner(grant.partner);
  if (!partner) return { refused: `there is no partner named '${grant.partner}'` };
  if (!partner.purposes.includes(grant.purpose)) {
    return {
      refused: `partner '${partner.name}' has not declared the purpose '${grant.purpose}'; it declared ${partner.purposes.join(", ")}`,
    };
  }
  if (grant.until <= now) return { refused: "`until` must be in the future" };
  if (grant.until > now + days(consentDaysMax)) {
    return { refused: `a consent may last at most ${consentDaysMax} days` };
  }
  return store.grantConsent(subjectId, grant, now);
}

export function consentState(consent: ConsentRecord, now: Instant): ConsentState {
  if (consent.revokedAt !== undefined && consent.revokedAt <= now) return "revoked";
  return consentLive(consent, now) ? "live" : "expired";
}
