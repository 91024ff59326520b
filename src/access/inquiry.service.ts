import { benefitStatus } from "../core/benefit.js";
import { decideInquiry, type InquiryRefusal } from "../core/consent.js";
import type { Disclosure, Purpose } from "../core/purpose.js";
import { type Rating, ratingOf } from "../core/rating.js";
import type { Rulebook } from "../core/rulebook.js";
import { ratingHistory } from "../core/score.js";
import type { Instant } from "../core/time.js";
import type { AccessStore, InquiryRecord, PartnerRecord } from "../store/access.store.js";
import type { LedgerStore, Subject } from "../store/store.js";

export type InquiryQuestion = Readonly<{
  subjectId: string;
  purpose: Purpose;
  disclosure: Disclosure;
  /** The programme an eligibility question is about. */
  benefitId: string | undefined;
}>;

/** What one inquiry disclosed: exactly one of these, never entries. */
export type Disclosed =
  | Readonly<{ rating: Rating }>
  | Readonly<{ score: number }>
  | Readonly<{ benefitId: string; eligible: boolean }>;

export type InquiryAnswer =
  | Readonly<{
      kind: "disclosed";
      inquiry: InquiryRecord;
      disclosed: Disclosed;
      legalGround: "consent" | "public_task";
    }>
  | Readonly<{
      kind: "refused";
      refusal: InquiryRefusal;
      message: string;
      /** Undefined when the subject does not exist: there is nobody to show the inquiry to. */
      inquiry: InquiryRecord | undefined;
    }>
  | Readonly<{ kind: "unknown_subject" }>
  | Readonly<{ kind: "unknown_benefit"; benefitIds: readonly string[] }>;

/**
 * Charter item 5: decides a partner's question with the subject's consents, records it as an
 * inquiry the subject sees (allowed or refused, with what was disclosed), and only then answers.
 *
 * An unknown subject is answered exactly like a subject who gave no consent, so a partner cannot
 * probe who is enrolled; only a question that would be allowed without consent (an authority's
 * `public_task`) learns that the subject does not exist.
 */
export async function answerInquiry(
  store: LedgerStore & AccessStore,
  input: Readonly<{ partner: PartnerRecord; question: InquiryQuestion; now: Instant }>,
): Promise<InquiryAnswer> {
  const { partner, question, now } = input;
  const published = await store.currentRulebook();
  if (!published) throw new Error("no rulebook is published");
  const benefitIds = published.rulebook.benefits.map((benefit) => benefit.id);
  if (question.disclosure === "eligibility" && !benefitIds.includes(question.benefitId ?? "")) {
    return { kind: "unknown_benefit", benefitIds };
  }
  const found = await store.inquirySubject(question.subjectId, now);
  const decision = decideInquiry(
    { partner, purpose: question.purpose, disclosure: question.disclosure, at: now },
    found?.consents ?? [],
  );
  if (!found) {
    return decision.allowed
      ? { kind: "unknown_subject" }
      : {
          kind: "refused",
          refusal: decision.refusal,
          message: decision.message,
          inquiry: undefined,
        };
  }
  const { subject } = found;
  const record = {
    subjectId: subject.id,
    partner: partner.name,
    purpose: question.purpose,
    disclosure: question.disclosure,
    at: now,
  };
  if (!decision.allowed) {
    const inquiry = await store.recordInquiry({
      ...record,
      allowed: false,
      refusal: decision.refusal,
      disclosed: {},
    });
    return { kind: "refused", refusal: decision.refusal, message: decision.message, inquiry };
  }
  const disclosed = await disclose(store, {
    subject,
    score: found.score,
    rulebook: published.rulebook,
    question,
    at: now,
  });
  // Recorded before anything is answered: no disclosure without its inquiry.
  const inquiry = await store.recordInquiry({
    ...record,
    allowed: true,
    refusal: undefined,
    disclosed,
  });
  return { kind: "disclosed", inquiry, disclosed, legalGround: decision.legalGround };
}

/**
 * Purpose binding: exactly the one thing asked for, never entries. A score or rating is the
 * stored score's (a lookup reads no entries); an eligibility question needs the rating history.
 */
export async function disclose(
  store: LedgerStore,
  input: Readonly<{
    subject: Subject;
    /** The subject's score at `at`. */
    score: number;
    rulebook: Rulebook;
    question: InquiryQuestion;
    at: Instant;
  }>,
): Promise<Disclosed> {
  const { subject, score, rulebook, question, at } = input;
  switch (question.disclosure) {
    case "score":
      return { score };
    case "rating":
      return { rating: ratingOf(score, rulebook.ratingThresholds) };
    case "eligibility": {
      const benefit = rulebook.benefits.find((candidate) => candidate.id === question.benefitId);
      if (!benefit) throw new Error(`no benefit '${question.benefitId}' (checked before)`);
      const history = ratingHistory(
        await store.entries(subject.id),
        { baseScore: rulebook.baseScore, ratingThresholds: rulebook.ratingThresholds },
        { from: Math.min(subject.enrolledAt, at), to: at },
      );
      return { benefitId: benefit.id, eligible: benefitStatus(history, benefit, at).eligible };
    }
  }
}
