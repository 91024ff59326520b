import type { Instant } from "../core/time.js";
import { applications, authorityName, authorityQuestion, type Question } from "./partners.js";
import type { World } from "./world.js";

/** Daily chance, per person, of a partner asking without any application (it must be refused). */
export const speculativeChancePerDay = 0.0005;
/** Daily chance, per person, of the authority asking on `public_task` (allowed, and logged). */
export const authorityChancePerDay = 0.0003;

/** The day's questions: those planned after applications, speculative ones, the authority's. */
export async function partnersAsk(world: World, day: number, at: Instant): Promise<void> {
  for (const { subject, question } of world.agenda.takePartners(day)) {
    await ask(world, question, subject, at);
  }
  const random = world.random.partners;
  const count = world.population.ids.length;
  const questions = applications.flatMap((application) => application.questions);
  for (
    let subject = random.skip(speculativeChancePerDay);
    subject < count;
    subject += 1 + random.skip(speculativeChancePerDay)
  ) {
    if (!world.scripted.has(subject)) await ask(world, random.pick(questions), subject, at);
  }
  for (
    let subject = random.skip(authorityChancePerDay);
    subject < count;
    subject += 1 + random.skip(authorityChancePerDay)
  ) {
    if (!world.scripted.has(subject)) await ask(world, authorityQuestion(random), subject, at);
  }
}

export async function ask(world: World, question: Question, subject: number, at: Instant) {
  const subjectId = world.population.ids[subject] as string;
  const answer = await world.driver.inquire(question, subjectId, at);
  world.auditor.inquired(question, subjectId, answer);
  if (answer.allowed) world.counts.inquiries.allowed++;
  else world.counts.inquiries.refused++;
  if (question.partner === authorityName) world.counts.inquiries.byAuthority++;
}
