import type { Purpose } from "../core/purpose.js";
import type { Instant } from "../core/time.js";
import type { Report } from "./conduct.js";
import type { IngestAnswer } from "./driver.js";
import { drawApplication } from "./partners.js";
import { sentFlags } from "./sent-log.js";
import type { World } from "./world.js";

/** Chance that a person appeals a new negative entry, by whether it was really theirs. */
export const appealChance = {
  wronglyAttributedCounting: 0.75,
  wronglyAttributedPending: 0.3,
  rightCounting: 0.01,
  rightPending: 0.005,
} as const;
/** Daily chance that a person applies for a loan, a flat, insurance, a job or a flight. */
export const applicationChancePerDay = 0.002;
/** Share of applicants who forget to consent (the partner asks anyway and is refused). */
export const forgetfulShare = 0.1;
export const revocationShare = 0.15;
export const followUpShare = 0.2;

const statements = {
  wrong: [
    "That was not me: I was at work across town; the photo shows someone else.",
    "Not my vehicle: the plate in the camera image is not mine.",
    "I was abroad that day; tickets attached.",
  ],
  right: [
    "The signal was faulty that morning.",
    "I paid this already; the receipt is attached.",
    "The circumstances were exceptional; please reconsider.",
  ],
};

/**
 * People see their new entries in the app. A negative one that was not theirs is appealed far
 * more often than one that was; each appeal is made a few days later.
 */
export function planAppeals(
  world: World,
  day: number,
  reports: readonly Report[],
  answers: readonly IngestAnswer[],
): void {
  const random = world.random.citizens;
  reports.forEach((report, index) => {
    const answer = answers[index];
    if (answer?.kind !== "accepted" || (answer.points ?? 0) >= 0) return;
    world.log.setEntryId(report.seq, answer.entryId ?? 0);
    const subject = world.log.subject(report.seq);
    if (subject < 0 || world.scripted.has(subject)) return;
    const wrong = world.log.has(report.seq, sentFlags.wronglyAttributed);
    const counting = answer.status === "effective";
    const chance = wrong
      ? counting
        ? appealChance.wronglyAttributedCounting
        : appealChance.wronglyAttributedPending
      : counting
        ? appealChance.rightCounting
        : appealChance.rightPending;
    if (random.chance(chance)) {
      world.agenda.citizen(day + random.between(1, 6), {
        kind: "appeal",
        subject,
        seq: report.seq,
      });
    }
  });
}

/** The day's planned appeals and revocations, then the day's new applications. */
export async function citizensAct(world: World, day: number, at: Instant): Promise<void> {
  for (const action of world.agenda.takeCitizens(day)) {
    const subjectId = world.population.ids[action.subject] as string;
    if (action.kind === "appeal") await appeal(world, subjectId, action.seq, at);
    else {
      const answer = await world.driver.revokeConsent(subjectId, action.consentId, at);
      world.auditor.consentRevoked(subjectId, action.consentId, answer);
      if (answer.ok) world.counts.consents.revoked++;
    }
  }
  await apply(world, day, at);
}

export async function appeal(world: World, subjectId: string, seq: number, at: Instant) {
  const entryId = world.log.entryId(seq);
  if (entryId === 0) return;
  const wrong = world.log.has(seq, sentFlags.wronglyAttributed);
  const statement = world.random.citizens.pick(wrong ? statements.wrong : statements.right);
  const answer = await world.driver.appeal(subjectId, entryId, statement, at);
  world.auditor.appealed(subjectId, entryId, answer);
  if (answer.ok) world.counts.appeals.opened++;
  else world.counts.appeals.refused++;
}

/**
 * New applications: the applicant consents (unless forgetful) and the partner asks that
 * evening; some consents are revoked later, and some partners ask again weeks later.
 */
async function apply(world: World, day: number, at: Instant): Promise<void> {
  const random = world.random.citizens;
  const count = world.population.ids.length;
  for (
    let subject = random.skip(applicationChancePerDay);
    subject < count;
    subject += 1 + random.skip(applicationChancePerDay)
  ) {
    if (world.scripted.has(subject)) continue;
    const application = drawApplication(random);
    const question = random.pick(application.questions);
    if (!random.chance(forgetfulShare)) {
      const [shortest, longest] = application.consentDays;
      const days = random.between(shortest, longest);
      const consentId = await grant(
        world,
        subject,
        { partner: question.partner, purpose: question.purpose, days },
        at,
      );
      const revoke = random.chance(revocationShare) ? random.between(2, days) : undefined;
      if (revoke !== undefined && consentId !== undefined) {
        world.agenda.citizen(day + revoke, { kind: "revoke", subject, consentId });
      }
    }
    world.agenda.partner(day, { subject, question });
    if (random.chance(followUpShare)) {
      world.agenda.partner(day + random.between(10, 60), { subject, question });
    }
  }
}

export async function grant(
  world: World,
  subject: number,
  grant: Readonly<{ partner: string; purpose: Purpose; days: number }>,
  at: Instant,
): Promise<number | undefined> {
  const subjectId = world.population.ids[subject] as string;
  const answer = await world.driver.grantConsent(subjectId, grant, at);
  world.auditor.consentGranted(subjectId, grant, answer);
  if (!answer.ok) {
    world.counts.consents.refused++;
    return undefined;
  }
  world.counts.consents.granted++;
  return answer.consentId;
}
