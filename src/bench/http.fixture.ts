import { issueKey } from "../api/auth/secrets.js";
import { initialiseLedger } from "../cli/initialise.js";
import type { Rulebook } from "../core/rulebook.js";
import { days, type Instant } from "../core/time.js";
import type { CredentialRole } from "../store/access.store.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import { seededRandom } from "./random.js";

export const eventsPerRequest = 1_000;
export const sourceName = "bench-http-agency";
/**
 * Source keys and partners the requests rotate over. The API limits each key to
 * `requestsPerMinuteMax` (6,000) requests a minute: many partners, each with its own key, is how
 * the service is used, and the only way a load test measures the server rather than that limit.
 */
const sourceKeyCount = 4;
const partnerCount = 40;
/** Distinct lookups (subject and asking partner); each connection cycles through them. */
const lookupVariantCount = 1_000;
const subjectsPerEnrolment = 10_000;

export type HttpLedgerOptions = Readonly<{ subjects: number; now: Instant }>;

/** The keys the load generator uses, issued straight through the store. */
export type HttpLedgerKeys = Readonly<{ sourceKeys: string[]; partnerKeys: string[] }>;

/**
 * A data folder as an operator would have it: the default rulebook, `subjects` enrolled, one
 * source allowed every type, `partnerCount` banks, and every subject's consent for one bank
 * (subject i trusts bank i mod partnerCount) to ask for `credit`.
 */
export async function prepareHttpLedger(
  dataDirectory: string,
  { subjects, now }: HttpLedgerOptions,
): Promise<HttpLedgerKeys> {
  const store = openSqliteStore({ path: sqliteDatabasePath(dataDirectory) });
  try {
    await initialiseLedger(store, { at: now - days(400), by: "bench" });
    for (let start = 0; start < subjects; start += subjectsPerEnrolment) {
      const count = Math.min(subjectsPerEnrolment, subjects - start);
      const batch = Array.from({ length: count }, (_, offset) => ({
        id: subjectId(start + offset),
        region: `r${(start + offset) % 12}`,
      }));
      await store.enrollSubjects(batch, now - days(400));
    }
    const added = await store.addSource(
      { name: sourceName, kind: "agency", allowedTypes: ["*"] },
      now - days(400),
    );
    if ("refused" in added) throw new Error(`bench source refused: ${added.refused}`);
    const issue = async (role: CredentialRole, principal: string) => {
      const issued = issueKey();
      await store.createCredential({
        keyId: issued.keyId,
        secretHash: issued.secretHash,
        role,
        principal,
        createdAt: now - days(2),
        createdBy: "bench",
      });
      return issued.key;
    };
    const sourceKeys: string[] = [];
    for (let index = 0; index < sourceKeyCount; index++) {
      sourceKeys.push(await issue("source", sourceName));
    }
    const partnerKeys: string[] = [];
    for (let index = 0; index < partnerCount; index++) {
      const name = partnerName(index);
      const partner = await store.addPartner({ name, kind: "bank", purposes: ["credit"] }, now);
      if ("refused" in partner) throw new Error(`bench partner refused: ${partner.refused}`);
      partnerKeys.push(await issue("partner", name));
    }
    for (let index = 0; index < subjects; index++) {
      await store.grantConsent(
        subjectId(index),
        { partner: partnerName(index % partnerCount), purpose: "credit", until: now + days(90) },
        now - days(1),
      );
    }
    return { sourceKeys, partnerKeys };
  } finally {
    await store.close();
  }
}

const subjectId = (index: number) => `s${String(index).padStart(7, "0")}`;
const partnerName = (index: number) => `bank-${String(index).padStart(2, "0")}`;

/** One request's events, as objects (for the in-process path) and as the HTTP body. */
export type EventBatch = Readonly<{ events: readonly unknown[]; body: Buffer }>;

/**
 * `batchCount` batches of `eventsPerRequest` distinct events (ids `<prefix>00000000` upwards),
 * shaped like the ingest benchmark's: random subjects and rules, over the past year.
 */
export function generateBatches(
  rulebook: Rulebook,
  options: Readonly<{ batchCount: number; subjects: number; now: Instant; prefix: string }>,
): EventBatch[] {
  const random = seededRandom(3);
  return Array.from({ length: options.batchCount }, (_, batchIndex) => {
    const events = Array.from({ length: eventsPerRequest }, (_, offset) => {
      const id = `${options.prefix}${String(batchIndex * eventsPerRequest + offset).padStart(8, "0")}`;
      const rule = rulebook.rules[Math.floor(random() * rulebook.rules.length)];
      return {
        id,
        subject: subjectId(Math.floor(random() * options.subjects)),
        type: rule?.type,
        occurredAt: new Date(options.now - Math.floor(random() * days(365))).toISOString(),
        evidence: { description: "Officer's report", reference: `ref-${id}` },
      };
    });
    return { events, body: Buffer.from(JSON.stringify({ events })) };
  });
}

export type LookupRequest = Readonly<{ authorization: string; body: string }>;

/** Score lookups, each by the one bank the subject consented to. */
export function lookupRequests(keys: HttpLedgerKeys, subjects: number): LookupRequest[] {
  const random = seededRandom(4);
  return Array.from({ length: lookupVariantCount }, () => {
    const subject = Math.floor(random() * subjects);
    return {
      authorization: `Bearer ${keys.partnerKeys[subject % partnerCount]}`,
      body: JSON.stringify({
        subjectId: subjectId(subject),
        purpose: "credit",
        disclosure: "score",
      }),
    };
  });
}
