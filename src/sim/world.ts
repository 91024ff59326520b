import type { OutcomeCounts } from "../core/outcome.js";
import type { Auditor } from "./auditor.js";
import type { CityDriver } from "./driver.js";
import type { Question } from "./partners.js";
import type { Population } from "./population.js";
import type { SeededRandom } from "./random.js";
import type { SentLog } from "./sent-log.js";

/** Something a citizen will do on a later day. */
export type CitizenAction =
  | Readonly<{ kind: "appeal"; subject: number; seq: number }>
  | Readonly<{ kind: "revoke"; subject: number; consentId: number }>;

/** A question a partner will ask on a later day. */
export type PartnerAction = Readonly<{ subject: number; question: Question }>;

/** What the city's people and partners plan to do, by day. */
export class Agenda {
  private readonly citizens = new Map<number, CitizenAction[]>();
  private readonly partners = new Map<number, PartnerAction[]>();

  citizen(day: number, action: CitizenAction): void {
    const list = this.citizens.get(day) ?? [];
    list.push(action);
    this.citizens.set(day, list);
  }

  partner(day: number, action: PartnerAction): void {
    const list = this.partners.get(day) ?? [];
    list.push(action);
    this.partners.set(day, list);
  }

  takeCitizens(day: number): CitizenAction[] {
    const list = this.citizens.get(day) ?? [];
    this.citizens.delete(day);
    return list;
  }

  takePartners(day: number): PartnerAction[] {
    const list = this.partners.get(day) ?? [];
    this.partners.delete(day);
    return list;
  }
}

/** What happened in the run besides the reports: the report's raw counts. */
export type RunCounts = {
  outcomes: OutcomeCounts;
  reviews: { confirmed: number; rejected: number; refused: number };
  appeals: {
    opened: number;
    refused: number;
    upheld: number;
    reversed: number;
    refusedDecisions: number;
  };
  consents: { granted: number; refused: number; revoked: number };
  inquiries: { allowed: number; refused: number; byAuthority: number };
  crash: { day: number; answersBeforeCrash: number; committedBeforeCrash: number } | undefined;
};

/** Everything the day's behaviours work with. */
export type World = Readonly<{
  driver: CityDriver;
  auditor: Auditor;
  log: SentLog;
  population: Population;
  agenda: Agenda;
  counts: RunCounts;
  /** Subjects whose every action is scripted (the demo's citizen). */
  scripted: ReadonlySet<number>;
  random: Readonly<{
    conduct: SeededRandom;
    delivery: SeededRandom;
    citizens: SeededRandom;
    reviewers: SeededRandom;
    partners: SeededRandom;
  }>;
}>;
