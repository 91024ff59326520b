/**
 * The simulated population's kinds of people. Each persona has a daily rate for every event type
 * of the default rulebook: how likely one person of that kind is to be reported for it on one
 * day. The figures are invented, chosen so that a city of them spreads over every rating.
 */
export const personaNames = [
  "careful",
  "average",
  "reckless_driver",
  "debtor",
  "volunteer",
  "heavy_gamer",
] as const;
export type PersonaName = (typeof personaNames)[number];

export type Persona = Readonly<{
  name: PersonaName;
  /** The persona's share of the population; the shares add up to 1. */
  share: number;
  /** Reports per person per day, by event type. */
  ratesPerDay: Readonly<Record<string, number>>;
}>;

/** An average person's reports per day, by event type of `rulebooks/default.yaml`. */
export const averageRatesPerDay: Readonly<Record<string, number>> = {
  "traffic.red_light": 0.002,
  "traffic.jaywalking": 0.0015,
  "traffic.drunk_driving": 0.00004,
  "public.littering": 0.0008,
  "public.queue_jumping": 0.0008,
  "finance.payment_default": 0.0002,
  "finance.court_judgment_unpaid": 0.00004,
  "finance.loan_repaid_on_time": 0.004,
  "commerce.healthy_purchase": 0.01,
  "online.gaming_excess": 0.004,
  "civic.volunteering": 0.003,
  "civic.blood_donation": 0.001,
  "civic.heroic_act": 0.00005,
  "utilities.illegal_tapping": 0.00004,
  "utilities.unpaid_bill": 0.0008,
};

/** How each persona departs from the average person; a type not named keeps the average. */
const factors: Readonly<Record<PersonaName, Readonly<Record<string, number>>>> = {
  careful: {
    "traffic.red_light": 0.2,
    "traffic.jaywalking": 0.3,
    "traffic.drunk_driving": 0.1,
    "public.littering": 0.3,
    "public.queue_jumping": 0.3,
    "finance.payment_default": 0.2,
    "finance.court_judgment_unpaid": 0.1,
    "finance.loan_repaid_on_time": 1.5,
    "commerce.healthy_purchase": 2,
    "online.gaming_excess": 0.3,
    "civic.volunteering": 1.5,
    "civic.blood_donation": 1.5,
    "utilities.illegal_tapping": 0.1,
    "utilities.unpaid_bill": 0.2,
  },
  average: {},
  reckless_driver: {
    "traffic.red_light": 8,
    "traffic.jaywalking": 3,
    "traffic.drunk_driving": 25,
    "public.littering": 1.5,
    "finance.loan_repaid_on_time": 0.7,
  },
  debtor: {
    "finance.payment_default": 15,
    "finance.court_judgment_unpaid": 20,
    "finance.loan_repaid_on_time": 0.3,
    "utilities.unpaid_bill": 10,
    "utilities.illegal_tapping": 10,
    "commerce.healthy_purchase": 0.5,
  },
  volunteer: {
    "civic.volunteering": 15,
    "civic.blood_donation": 6,
    "civic.heroic_act": 10,
    "commerce.healthy_purchase": 3,
    "finance.loan_repaid_on_time": 1.2,
    "online.gaming_excess": 0.5,
    "traffic.red_light": 0.5,
  },
  heavy_gamer: {
    "online.gaming_excess": 25,
    "public.littering": 2,
    "commerce.healthy_purchase": 0.5,
    "civic.volunteering": 0.3,
  },
};

const shares: Readonly<Record<PersonaName, number>> = {
  careful: 0.28,
  average: 0.34,
  reckless_driver: 0.08,
  debtor: 0.08,
  volunteer: 0.12,
  heavy_gamer: 0.1,
};

export const personas: readonly Persona[] = personaNames.map((name) => ({
  name,
  share: shares[name],
  ratesPerDay: Object.fromEntries(
    Object.entries(averageRatesPerDay).map(([type, rate]) => [
      type,
      rate * (factors[name][type] ?? 1),
    ]),
  ),
}));

/** The rate of a type the personas do not know (a rulebook with more types): never reported. */
export function ratePerDay(persona: Persona, type: string): number {
  return persona.ratesPerDay[type] ?? 0;
}
