import type { Rating } from "../core/rating.js";
import type { Instant } from "../core/time.js";
import type { ReferenceLedger } from "./reference.ledger.js";
import { atLeast, type ReferenceBenefit, referenceRating } from "./reference.rulebook.js";

const dayMilliseconds = 86_400_000;
/** An employer may rely only on a consent given this recently. */
const employmentConsentDays = 30;

/** What each purpose may learn (charter item 5), as the README's table states it. */
const disclosuresByPurpose: Readonly<Record<string, readonly string[]>> = {
  credit: ["rating", "score", "eligibility"],
  insurance: ["rating", "eligibility"],
  tenancy: ["rating", "eligibility"],
  employment: ["rating"],
  travel: ["eligibility"],
  commerce: ["eligibility"],
  public_task: ["rating", "score", "eligibility"],
};

export type ReferencePartner = Readonly<{
  name: string;
  kind: string;
  purposes: readonly string[];
}>;

type ReferenceConsent = {
  id: number;
  partner: string;
  purpose: string;
  grantedAt: Instant;
  until: Instant;
  revokedAt: Instant | undefined;
};

export type ExpectedAnswer =
  | Readonly<{ allowed: false }>
  | Readonly<{ allowed: true; rating?: Rating; score?: number; eligible?: boolean }>;

/**
 * The auditor's model of who may ask what: consents as the subjects gave them, and the answer
 * each question deserves, from the reference ledger's scores.
 */
export class ReferenceAccess {
  private readonly consents = new Map<number, ReferenceConsent[]>();

  constructor(
    private readonly ledger: ReferenceLedger,
    private readonly enrolledAt: (subject: number) => Instant,
  ) {}

  /** A new grant ends the subject's live consent to the same partner for the same purpose. */
  granted(subject: number, consent: Omit<ReferenceConsent, "revokedAt">): void {
    const list = this.consents.get(subject) ?? [];
    for (const earlier of list) {
      const live = earlier.revokedAt === undefined && consent.grantedAt < earlier.until;
      if (live && earlier.partner === consent.partner && earlier.purpose === consent.purpose) {
        earlier.revokedAt = consent.grantedAt;
      }
    }
    list.push({ ...consent, revokedAt: undefined });
    this.consents.set(subject, list);
  }

  /** False when the consent is not the subject's, was revoked before, or has run out. */
  revoked(subject: number, consentId: number, at: Instant): boolean {
    const consent = this.consents.get(subject)?.find((candidate) => candidate.id === consentId);
    if (!consent || consent.revokedAt !== undefined || at >= consent.until) return false;
    consent.revokedAt = at;
    return true;
  }

  expect(
    partner: ReferencePartner,
    question: Readonly<{ purpose: string; disclosure: string; benefitId: string | undefined }>,
    subject: number,
    at: Instant,
  ): ExpectedAnswer {
    const { purpose, disclosure } = question;
    if (!partner.purposes.includes(purpose)) return { allowed: false };
    if (!disclosuresByPurpose[purpose]?.includes(disclosure)) return { allowed: false };
    if (purpose === "public_task") {
      if (partner.kind !== "authority") return { allowed: false };
    } else if (!this.consented(subject, partner.name, purpose, at)) {
      return { allowed: false };
    }
    const score = this.ledger.scoreAt(subject, at);
    if (disclosure === "score") return { allowed: true, score };
    if (disclosure === "rating") {
      return { allowed: true, rating: referenceRating(score, this.ledger.rulebook) };
    }
    const benefit = this.ledger.rulebook.benefits.find((each) => each.id === question.benefitId);
    if (!benefit) return { allowed: false };
    return { allowed: true, eligible: this.eligible(subject, benefit, at) };
  }

  private consented(subject: number, partner: string, purpose: string, at: Instant): boolean {
    const live = (this.consents.get(subject) ?? []).filter(
      (consent) =>
        consent.partner === partner &&
        consent.purpose === purpose &&
        consent.grantedAt <= at &&
        at < consent.until &&
        (consent.revokedAt === undefined || at < consent.revokedAt),
    );
    if (purpose !== "employment") return live.length > 0;
    return live.some(
      (consent) => at - consent.grantedAt <= employmentConsentDays * dayMilliseconds,
    );
  }

  /**
   * "A held for 90 days": walks the subject's score from enrollment to `at`, with what the
   * ledger knows now, and finds since when the rating has stayed at the minimum or better.
   */
  private eligible(subject: number, benefit: ReferenceBenefit, at: Instant): boolean {
    const from = Math.min(this.enrolledAt(subject), at);
    const rulebook = this.ledger.rulebook;
    const instants = [...new Set(this.ledger.changesBetween(subject, from, at))].sort(
      (a, b) => a - b,
    );
    let heldSince: Instant | undefined;
    for (const instant of [from, ...instants]) {
      const rating = referenceRating(this.ledger.scoreAt(subject, instant), rulebook);
      if (!atLeast(rating, benefit.ratingMin)) heldSince = undefined;
      else heldSince ??= instant;
    }
    if (heldSince === undefined) return false;
    return Math.floor((at - heldSince) / dayMilliseconds) >= benefit.heldDaysMin;
  }
}
