import type { SourceKind } from "../core/source.js";
import type { SeededRandom } from "./random.js";

/** A reporting source of the simulated city, as an admin would add it. */
export type SimSource = Readonly<{
  name: string;
  kind: SourceKind;
  allowedTypes: readonly string[];
  /** A short code for evidence references. */
  code: string;
}>;

export const cameraSourceName = "city-cameras";

export const simSources: readonly SimSource[] = [
  { name: "traffic-police", kind: "agency", allowedTypes: ["traffic.*"], code: "TP" },
  {
    name: cameraSourceName,
    kind: "camera",
    allowedTypes: ["traffic.red_light", "traffic.jaywalking"],
    code: "CAM",
  },
  { name: "public-order-office", kind: "agency", allowedTypes: ["public.*"], code: "PO" },
  {
    name: "district-court",
    kind: "agency",
    allowedTypes: ["finance.court_judgment_unpaid"],
    code: "DC",
  },
  {
    name: "city-bank",
    kind: "partner",
    allowedTypes: ["finance.payment_default", "finance.loan_repaid_on_time"],
    code: "CB",
  },
  { name: "fresh-market", kind: "partner", allowedTypes: ["commerce.*"], code: "FM" },
  { name: "game-operator", kind: "partner", allowedTypes: ["online.*"], code: "GO" },
  {
    name: "civic-affairs-office",
    kind: "agency",
    allowedTypes: ["civic.volunteering", "civic.heroic_act"],
    code: "CA",
  },
  { name: "blood-service", kind: "agency", allowedTypes: ["civic.blood_donation"], code: "BS" },
  { name: "city-utilities", kind: "agency", allowedTypes: ["utilities.*"], code: "CU" },
];

/** Who reports each type, with each reporter's share of the reports. */
const reporters: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  "traffic.red_light": [
    [cameraSourceName, 0.8],
    ["traffic-police", 0.2],
  ],
  "traffic.jaywalking": [
    [cameraSourceName, 0.9],
    ["traffic-police", 0.1],
  ],
  "traffic.drunk_driving": [["traffic-police", 1]],
  "public.littering": [["public-order-office", 1]],
  "public.queue_jumping": [["public-order-office", 1]],
  "finance.payment_default": [["city-bank", 1]],
  "finance.court_judgment_unpaid": [["district-court", 1]],
  "finance.loan_repaid_on_time": [["city-bank", 1]],
  "commerce.healthy_purchase": [["fresh-market", 1]],
  "online.gaming_excess": [["game-operator", 1]],
  "civic.volunteering": [["civic-affairs-office", 1]],
  "civic.blood_donation": [["blood-service", 1]],
  "civic.heroic_act": [["civic-affairs-office", 1]],
  "utilities.illegal_tapping": [["city-utilities", 1]],
  "utilities.unpaid_bill": [["city-utilities", 1]],
};

const reporterShares = new Map(
  Object.entries(reporters).map(([type, candidates]) => [
    type,
    { names: candidates.map(([name]) => name), shares: candidates.map(([, share]) => share) },
  ]),
);
const sourcesByName = new Map(simSources.map((source) => [source.name, source]));

/** The source that reports one event of `type`; undefined for a type nobody reports. */
export function reporterOf(type: string, random: SeededRandom): string | undefined {
  const candidates = reporterShares.get(type);
  if (!candidates) return undefined;
  if (candidates.names.length === 1) return candidates.names[0];
  return candidates.names[random.weighted(candidates.shares)];
}

export function sourceByName(name: string): SimSource {
  const source = sourcesByName.get(name);
  if (!source) throw new Error(`no simulated source '${name}'`);
  return source;
}

/** What one report says, in words a reviewer or the person reads. */
const evidenceTexts: Readonly<Record<string, string>> = {
  "traffic.red_light": "Vehicle crossed the stop line on a red signal",
  "traffic.jaywalking": "Pedestrian crossed against the signal",
  "traffic.drunk_driving": "Breath test over the legal limit at a roadside check",
  "public.littering": "Litter thrown on the pavement, fined by a warden",
  "public.queue_jumping": "Jumped the queue at a service counter, warden report",
  "finance.payment_default": "Loan instalment more than 90 days overdue",
  "finance.court_judgment_unpaid": "Court-ordered payment not made by its due date",
  "finance.loan_repaid_on_time": "Personal loan repaid in full and on time",
  "commerce.healthy_purchase": "Groceries from the healthy-food list",
  "online.gaming_excess": "Play time over the operator's daily limit",
  "civic.volunteering": "Registered volunteering shift completed",
  "civic.blood_donation": "Whole blood donation",
  "civic.heroic_act": "Official commendation for bravery",
  "utilities.illegal_tapping": "Unauthorised connection found by an inspector",
  "utilities.unpaid_bill": "Utility bill unpaid for more than 60 days",
};

export function evidenceText(type: string): string {
  return evidenceTexts[type] ?? `Reported conduct: ${type}`;
}
