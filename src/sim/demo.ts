import { randomInt } from "node:crypto";
import { activateAccount } from "../api/auth/account.js";
import { activationCodeHash, issueActivationCode, issueKey } from "../api/auth/secrets.js";
import { days, type Instant } from "../core/time.js";
import { countedTarget } from "../store/access.store.js";
import type { SqliteStore } from "../store/sqlite/sqlite.store.js";
import { ProcessDriver } from "./driver.process.js";
import type { SimulationReport } from "./report.js";
import { reviewerName } from "./reviewers.js";
import { showcasePartner } from "./showcase.js";
import { runSimulation } from "./simulation.js";

/** The demo city behind `npm start`: big enough to explore, quick enough to seed at startup. */
export const demoCity = { subjects: 5_000, days: 180, regions: 12, seed: 2026 } as const;
const issuer = "civic serve (demo)";

export type DemoSignIns = Readonly<{
  citizen: Readonly<{ subjectId: string; passphrase: string }>;
  reviewer: Readonly<{ name: string; key: string }>;
  partner: Readonly<{ name: string; key: string; purpose: "credit" }>;
}>;

export type DemoCity = Readonly<{
  signIns: DemoSignIns;
  report: SimulationReport;
  seconds: number;
}>;

/** When the demo's history starts: the rulebook must be in force from then. */
export function demoStartAt(now: Instant): Instant {
  return now - days(demoCity.days);
}

/**
 * Seeds the demo city into a fresh ledger (its rulebook published at `demoStartAt(now)`):
 * 180 days of simulated conduct up to now through the real services, audited, with the scripted
 * citizen, then ready-made sign-ins: that citizen's passphrase, a reviewer key and the key of
 * the bank the citizen consented to. Keys are stored as hashes and shown once.
 */
export async function seedDemoCity(
  store: SqliteStore,
  input: Readonly<{
    databasePath: string;
    now: Instant;
    onProgress?: (progress: Readonly<{ day: number; days: number }>) => void;
  }>,
): Promise<DemoCity> {
  const started = performance.now();
  const { now } = input;
  const { report, world } = await runSimulation(new ProcessDriver(store, input.databasePath), {
    ...demoCity,
    endAt: now,
    faults: true,
    crash: false,
    showcase: true,
    // Startup time matters here: the distribution only at the start and the end, and every
    // score audited (every answer was checked on the way; `civic simulate` compares entries too).
    samples: 1,
    auditEntries: false,
    // Fewer reviewers than the default: the demo's reviewer finds a queue to work on.
    reviewsPerThousandPerDay: 1.5,
    onProgress: input.onProgress,
  });
  const subjectId = world.population.ids[0] as string;
  const passphrase = demoPassphrase();
  const code = issueActivationCode();
  await store.setActivationCode(subjectId, activationCodeHash(code), now + days(1));
  if (!(await activateAccount(store, { subjectId, activationCode: code, passphrase }, now))) {
    throw new Error(`the demo citizen ${subjectId} could not be activated`);
  }
  // The simulation set up sources, partners and people through the store, not the admin API:
  // one line records that it did, and what.
  await store.appendAudit({
    actor: issuer,
    action: "demo.seed",
    target: countedTarget(world.population.ids.length, "subject"),
    at: now,
    details: {
      days: demoCity.days,
      seed: demoCity.seed,
      sources: (await store.sources()).map((source) => source.name),
      partners: (await store.partners()).map((partner) => partner.name),
    },
  });
  const reviewerKey = await issueDemoKey(store, "reviewer", reviewerName, now);
  const partnerKey = await issueDemoKey(store, "partner", showcasePartner, now);
  return {
    signIns: {
      citizen: { subjectId, passphrase },
      reviewer: { name: reviewerName, key: reviewerKey },
      partner: { name: showcasePartner, key: partnerKey, purpose: "credit" },
    },
    report,
    seconds: (performance.now() - started) / 1_000,
  };
}

async function issueDemoKey(
  store: SqliteStore,
  role: "reviewer" | "partner",
  principal: string,
  at: Instant,
): Promise<string> {
  const issued = issueKey();
  await store.createCredential({
    keyId: issued.keyId,
    secretHash: issued.secretHash,
    role,
    principal,
    createdAt: at,
    createdBy: issuer,
  });
  await store.appendAudit({
    actor: issuer,
    action: "credential.create",
    target: `credential:${issued.keyId}`,
    at,
    details: { role, principal, demo: true },
  });
  return issued.key;
}

const words = [
  "harbour",
  "lantern",
  "maple",
  "river",
  "copper",
  "meadow",
  "orbit",
  "violet",
  "granite",
  "willow",
  "ember",
  "falcon",
  "juniper",
  "quartz",
  "saffron",
  "tundra",
];

/** Four random words and a number: easy to type, never the same twice. */
function demoPassphrase(): string {
  const chosen = Array.from({ length: 4 }, () => words[randomInt(words.length)] as string);
  return `${chosen.join("-")}-${randomInt(1_000, 10_000)}`;
}
