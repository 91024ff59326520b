import { describe, expect, it } from "vitest";
import { type Consent, consentLive, decideInquiry, type PartnerProfile } from "./consent.js";
import { days } from "./time.js";

const now = Date.UTC(2026, 5, 1);
const bank: PartnerProfile = { name: "bank", kind: "bank", purposes: ["credit"] };
const employer: PartnerProfile = { name: "acme", kind: "employer", purposes: ["employment"] };
const police: PartnerProfile = { name: "police", kind: "authority", purposes: ["public_task"] };
const consent = (overrides: Partial<Consent> = {}): Consent => ({
  partner: "bank",
  purpose: "credit",
  grantedAt: now - days(10),
  until: now + days(10),
  revokedAt: undefined,
  ...overrides,
});

describe("consentLive", () => {
  it("is live between grant and until, and ends when revoked", () => {
    expect(consentLive(consent(), now)).toBe(true);
    expect(consentLive(consent({ until: now }), now)).toBe(false);
    expect(consentLive(consent({ grantedAt: now + 1 }), now)).toBe(false);
    expect(consentLive(consent({ revokedAt: now }), now)).toBe(false);
    expect(consentLive(consent({ revokedAt: now + 1 }), now)).toBe(true);
  });
});

describe("decideInquiry", () => {
  const ask = (
    partner: PartnerProfile,
    purpose: Parameters<typeof decideInquiry>[0]["purpose"],
    disclosure: "rating" | "score" | "eligibility",
    consents: Consent[],
  ) => decideInquiry({ partner, purpose, disclosure, at: now }, consents);

  it("allows a partner with a live consent for this purpose", () => {
    expect(ask(bank, "credit", "score", [consent()])).toEqual({
      allowed: true,
      legalGround: "consent",
    });
  });

  it("refuses without consent, with a revoked or expired one, or one for another partner or purpose", () => {
    for (const consents of [
      [],
      [consent({ revokedAt: now - 1 })],
      [consent({ until: now - 1 })],
      [consent({ partner: "other" })],
    ]) {
      expect(ask(bank, "credit", "rating", consents)).toMatchObject({
        allowed: false,
        refusal: "no_live_consent",
      });
    }
  });

  it("refuses a purpose the partner has not declared", () => {
    expect(ask(bank, "insurance", "rating", [consent({ purpose: "insurance" })])).toMatchObject({
      refusal: "purpose_not_declared",
    });
  });

  it("discloses only what the purpose needs", () => {
    const landlord: PartnerProfile = { name: "bank", kind: "landlord", purposes: ["tenancy"] };
    expect(ask(landlord, "tenancy", "score", [consent({ purpose: "tenancy" })])).toMatchObject({
      refusal: "disclosure_not_allowed_for_purpose",
    });
    expect(ask(landlord, "tenancy", "rating", [consent({ purpose: "tenancy" })]).allowed).toBe(
      true,
    );
  });

  it("lets an authority act on public_task without consent, and nobody else", () => {
    expect(ask(police, "public_task", "score", [])).toEqual({
      allowed: true,
      legalGround: "public_task",
    });
    const posing: PartnerProfile = { name: "bank", kind: "bank", purposes: ["public_task"] };
    expect(ask(posing, "public_task", "score", [])).toMatchObject({
      refusal: "public_task_only_for_authorities",
    });
  });

  it("needs an employment consent given within the last 30 days", () => {
    const fresh = consent({ partner: "acme", purpose: "employment", grantedAt: now - days(30) });
    const stale = consent({
      partner: "acme",
      purpose: "employment",
      grantedAt: now - days(31),
      until: now + days(100),
    });
    expect(ask(employer, "employment", "rating", [fresh]).allowed).toBe(true);
    expect(ask(employer, "employment", "rating", [stale])).toMatchObject({
      refusal: "employment_consent_too_old",
    });
  });
});
