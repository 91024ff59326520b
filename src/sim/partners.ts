import type { Disclosure, PartnerKind, Purpose } from "../core/purpose.js";
import type { SeededRandom } from "./random.js";

/** A partner of the simulated city that asks about people, as an admin would register it. */
export type SimPartner = Readonly<{
  name: string;
  kind: PartnerKind;
  purposes: readonly Purpose[];
}>;

/** One kind of question a partner asks. */
export type Question = Readonly<{
  partner: string;
  purpose: Purpose;
  disclosure: Disclosure;
  benefitId: string | undefined;
}>;

export const authorityName = "city-police";

export const simPartners: readonly SimPartner[] = [
  { name: "city-bank", kind: "bank", purposes: ["credit"] },
  { name: "home-lettings", kind: "landlord", purposes: ["tenancy"] },
  { name: "civic-insurance", kind: "insurer", purposes: ["insurance"] },
  { name: "metro-works", kind: "employer", purposes: ["employment"] },
  { name: "sky-airline", kind: "airline", purposes: ["travel"] },
  { name: authorityName, kind: "authority", purposes: ["public_task"] },
];

/**
 * What a person applies for, and what the partner then asks: a loan, a flat, an insurance
 * policy, a job, a discounted flight. Each application comes with the person's consent (or,
 * for the forgetful, without it) and the partner's question. `consentDays` bounds how long the
 * person consents for.
 */
export type Application = Readonly<{
  weight: number;
  consentDays: readonly [number, number];
  questions: readonly Question[];
}>;

const question = (
  partner: string,
  purpose: Purpose,
  disclosure: Disclosure,
  benefitId?: string,
): Question => ({ partner, purpose, disclosure, benefitId });

export const applications: readonly Application[] = [
  {
    weight: 3,
    consentDays: [30, 365],
    questions: [
      question("city-bank", "credit", "score"),
      question("city-bank", "credit", "rating"),
      question("city-bank", "credit", "eligibility", "loan_discount"),
    ],
  },
  {
    weight: 3,
    consentDays: [14, 120],
    questions: [
      question("home-lettings", "tenancy", "rating"),
      question("home-lettings", "tenancy", "eligibility", "deposit_free_rental"),
    ],
  },
  {
    weight: 2,
    consentDays: [30, 365],
    questions: [
      question("civic-insurance", "insurance", "rating"),
      question("civic-insurance", "insurance", "eligibility", "insurance_discount"),
    ],
  },
  { weight: 2, consentDays: [7, 30], questions: [question("metro-works", "employment", "rating")] },
  {
    weight: 2,
    consentDays: [3, 60],
    questions: [question("sky-airline", "travel", "eligibility", "air_travel_discount")],
  },
];

export function drawApplication(random: SeededRandom): Application {
  return applications[
    random.weighted(applications.map((application) => application.weight))
  ] as Application;
}

/** The authority's questions on a legal basis: no consent needed, logged like any other. */
export function authorityQuestion(random: SeededRandom): Question {
  return random.chance(0.5)
    ? question(authorityName, "public_task", "rating")
    : question(authorityName, "public_task", "score");
}
