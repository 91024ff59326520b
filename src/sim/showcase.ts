import type { Instant } from "../core/time.js";
import { appeal, grant } from "./citizens.js";
import { makeReport, type Report } from "./conduct.js";
import { ask } from "./inquiries.js";
import { authorityName } from "./partners.js";
import { sentFlags } from "./sent-log.js";
import { cameraSourceName } from "./sources.js";
import type { World } from "./world.js";

/** The demo's citizen: the first subject, whose history is scripted rather than drawn. */
export const showcaseSubject = 0;
export const showcasePartner = "city-bank";
/** The script is written for a 180-day run; other lengths scale it. */
const scriptDays = 180;

type ScriptedReport = Readonly<{
  day: number;
  type: string;
  source: string;
  confidence?: number;
  wronglyAttributed?: boolean;
}>;

/**
 * A history worth showing: good conduct that lifts the rating to AA (the insurance discount in
 * progress), a small online entry that has expired, an honest camera entry, and a camera
 * false match that the citizen appeals and a reviewer reverses. Then a consent to the bank,
 * the bank's question, a landlord's refused one, and the authority's.
 */
const reports: readonly ScriptedReport[] = [
  { day: 2, type: "civic.blood_donation", source: "blood-service" },
  { day: 8, type: "online.gaming_excess", source: "game-operator" },
  { day: 20, type: "civic.volunteering", source: "civic-affairs-office" },
  { day: 35, type: "finance.loan_repaid_on_time", source: "city-bank" },
  { day: 50, type: "civic.volunteering", source: "civic-affairs-office" },
  { day: 60, type: "traffic.jaywalking", source: cameraSourceName, confidence: 0.95 },
  { day: 75, type: "civic.blood_donation", source: "blood-service" },
  { day: 90, type: "civic.heroic_act", source: "civic-affairs-office" },
  { day: 100, type: "civic.volunteering", source: "civic-affairs-office" },
  { day: 110, type: "civic.blood_donation", source: "blood-service" },
  {
    day: 120,
    type: "traffic.red_light",
    source: cameraSourceName,
    confidence: 0.93,
    wronglyAttributed: true,
  },
];
// Thirty days before the end at the latest: by then the appeal is decided, by a reviewer or
// at its deadline.
const appealDay = 122;
const consentDay = 170;
const consentDays = 300;

export class Showcase {
  private appealedSeq: number | undefined;

  constructor(private readonly days: number) {}

  /** The scripted reports of `day`, recorded in the sent log, all delivered that evening. */
  reportsOf(world: World, day: number, dayStart: Instant): Report[] {
    return reports
      .filter((scripted) => this.scaled(scripted.day) === day)
      .map((scripted, index) => {
        const report = makeReport(
          { population: world.population, log: world.log, idPrefix: "" },
          {
            subject: showcaseSubject,
            type: scripted.type,
            occurredAt: dayStart + (9 + index) * 3_600_000,
            source: scripted.source,
            confidence: scripted.confidence,
            flags:
              sentFlags.scripted | (scripted.wronglyAttributed ? sentFlags.wronglyAttributed : 0),
          },
        );
        if (scripted.wronglyAttributed) this.appealedSeq = report.seq;
        return report;
      });
  }

  /** The citizen's own scripted acts of `day`: the appeal, the consent. */
  async citizenActs(world: World, day: number, at: Instant): Promise<void> {
    const subjectId = world.population.ids[showcaseSubject] as string;
    if (day === this.scaled(appealDay) && this.appealedSeq !== undefined) {
      await appeal(world, subjectId, this.appealedSeq, at);
    }
    if (day === this.scaled(consentDay)) {
      const days = consentDays;
      await grant(
        world,
        showcaseSubject,
        { partner: showcasePartner, purpose: "credit", days },
        at,
      );
    }
  }

  /** The partners' scripted questions of `day`. */
  async partnerActs(world: World, day: number, at: Instant): Promise<void> {
    const questions = [
      {
        day: consentDay + 1,
        question: { partner: showcasePartner, purpose: "credit", disclosure: "score" },
      },
      {
        day: consentDay + 5,
        question: { partner: "home-lettings", purpose: "tenancy", disclosure: "rating" },
      },
      {
        day: consentDay - 10,
        question: { partner: authorityName, purpose: "public_task", disclosure: "rating" },
      },
    ] as const;
    for (const planned of questions) {
      if (day !== this.scaled(planned.day)) continue;
      await ask(world, { ...planned.question, benefitId: undefined }, showcaseSubject, at);
    }
  }

  private scaled(day: number): number {
    return Math.min(this.days - 1, Math.round((day * this.days) / scriptDays));
  }
}
