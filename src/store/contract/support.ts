/**
 * Fixtures of the storage contract suite: written only against `LedgerStore` and `AccessStore`,
 * so that every adapter is held to the same behaviour. Test code only (not built).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect } from "vitest";
import type { BatchItem } from "../../core/batch.js";
import type { ConductEvent } from "../../core/event.js";
import { ratingOf } from "../../core/rating.js";
import { parseRulebook } from "../../core/rulebook.parse.js";
import { scoreAt } from "../../core/score.js";
import type { SourceProfile } from "../../core/source.js";
import { days, type Instant } from "../../core/time.js";
import type { AccessStore } from "../access.store.js";
import type { EntryRecord, LedgerStore, PublishedRulebook, SourceInput } from "../store.js";

/** What every adapter implements: the ledger and, beside it, who may do what. */
export type ContractStore = LedgerStore & AccessStore;
export type OpenStore = () => Promise<ContractStore>;

export const defaultRulebookText = readFileSync(
  fileURLToPath(new URL("../../../rulebooks/default.yaml", import.meta.url)),
  "utf8",
);

/** The ledger's first day in these tests. */
export const start: Instant = Date.parse("2026-03-01T00:00:00Z");

export function dayAfterStart(count: number): Instant {
  return start + days(count);
}

/** The default rulebook with some of its text replaced, e.g. a rule's points. */
export function rulebookText(replacements: ReadonlyArray<readonly [string, string]> = []): string {
  let text = defaultRulebookText;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`the default rulebook has no '${from}'`);
    text = text.replace(from, to);
  }
  return text;
}

export async function publish(
  store: LedgerStore,
  text: string,
  publishedAt: Instant,
): Promise<PublishedRulebook> {
  const parsed = parseRulebook(text, "contract.yaml");
  if (!parsed.ok) throw new Error(`test rulebook does not compile: ${parsed.problems[0]?.message}`);
  return store.publishRulebook({
    text,
    rulebook: parsed.rulebook,
    publishedAt,
    publishedBy: "test",
  });
}

export const sourceInputs = {
  police: { name: "police", kind: "agency", allowedTypes: ["traffic.*", "public.*"] },
  grocer: { name: "grocer", kind: "partner", allowedTypes: ["commerce.healthy_purchase"] },
  camera: { name: "camera-7", kind: "camera", allowedTypes: ["traffic.red_light"] },
  registry: { name: "registry", kind: "agency", allowedTypes: ["*"] },
} as const satisfies Record<string, SourceInput>;

export type Sources = Record<keyof typeof sourceInputs, SourceProfile>;

export const subjectIds = ["alice", "bob", "carol"] as const;

/** A store with the default rulebook, the test sources and three subjects, all at `start`. */
export async function seedLedger(store: LedgerStore): Promise<Sources> {
  await publish(store, defaultRulebookText, start);
  await store.enrollSubjects(
    subjectIds.map((id) => ({ id, region: "north" })),
    start,
  );
  const sources: Partial<Sources> = {};
  for (const [key, input] of Object.entries(sourceInputs)) {
    const added = await store.addSource(input, start);
    if ("refused" in added) throw new Error(added.refused);
    sources[key as keyof Sources] = added;
  }
  return sources as Sources;
}

/** A fresh store per test, closed after it. */
export function useStore(open: OpenStore): () => ContractStore {
  let store: ContractStore | undefined;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error("the store is used outside a test");
    return store;
  };
}

export function conductEvent(
  fields: Partial<ConductEvent> & Pick<ConductEvent, "id" | "subject" | "type" | "occurredAt">,
): ConductEvent {
  return {
    evidence: { description: `report ${fields.id}`, reference: `ref-${fields.id}` },
    confidence: undefined,
    region: undefined,
    attributes: undefined,
    ...fields,
  };
}

/** A batch item; the payload hash defaults to one derived from the event's id. */
export function item(
  fields: Parameters<typeof conductEvent>[0],
  payloadHash = `hash-${fields.id}`,
): BatchItem {
  return { event: conductEvent(fields), payloadHash };
}

export function acceptedIds(outcomes: readonly { kind: string; entryId?: number }[]): number[] {
  return outcomes.flatMap((outcome) =>
    outcome.kind === "accepted" && outcome.entryId !== undefined ? [outcome.entryId] : [],
  );
}

/**
 * The ledger's central invariant, checked for every subject: the stored score is the core's
 * score of the subject's entries at the ledger clock, the stored rating is that score's rating,
 * and the rating log is a chain (each change starts where the last ended, in time order) that
 * ends at the stored rating.
 */
export async function expectLedgerConsistent(store: LedgerStore): Promise<void> {
  const published = await store.currentRulebook();
  if (!published) throw new Error("no rulebook is published");
  const { baseScore, ratingThresholds } = published.rulebook;
  const clock = await store.ledgerClock();
  let after = 0;
  for (;;) {
    const page = await store.subjectsPage(after, 100);
    const last = page.at(-1);
    if (!last) break;
    const internalIds = page.map((subject) => subject.internalId);
    const entries = await store.entriesOfSubjects(internalIds);
    const scores = await store.storedScores(internalIds);
    for (const subject of page) {
      const score = scoreAt(entries.get(subject.internalId) ?? [], baseScore, clock);
      const stored = scores.get(subject.internalId);
      expect(stored, `stored score of ${subject.id}`).toMatchObject({
        score,
        rating: ratingOf(score, ratingThresholds),
      });
      const changes = await store.ratingChanges(subject.id);
      expect(changes[0]).toMatchObject({ from: undefined, cause: "enrollment" });
      changes.slice(1).forEach((change, index) => {
        const previous = changes[index];
        expect(change.from, `rating chain of ${subject.id}`).toBe(previous?.to);
        expect(change.at).toBeGreaterThanOrEqual(previous?.at ?? change.at);
        expect(change.to).not.toBe(change.from);
      });
      expect(changes.at(-1)?.to, `last rating change of ${subject.id}`).toBe(stored?.rating);
    }
    after = last.internalId;
  }
}

/**
 * Charter-level cap invariant: for every subject and capped rule, no window of the cap's
 * length holds more than the cap in entries that take cap room.
 */
export async function expectCapsHeld(store: LedgerStore): Promise<void> {
  const published = await store.currentRulebook();
  if (!published) throw new Error("no rulebook is published");
  const page = await store.subjectsPage(0, 1_000);
  const entries = await store.entriesOfSubjects(page.map((subject) => subject.internalId));
  for (const list of entries.values()) {
    for (const rule of published.rulebook.rules) {
      if (!rule.cap) continue;
      const awards = list.filter(
        (entry) =>
          entry.type === rule.type &&
          entry.points !== 0 &&
          ["effective", "pending_review", "disputed"].includes(entry.status),
      );
      for (const first of awards) {
        const windowEnd = first.occurredAt + rule.cap.windowMilliseconds;
        const sum = awards
          .filter((award) => award.occurredAt >= first.occurredAt && award.occurredAt < windowEnd)
          .reduce((total, award) => total + award.points, 0);
        expect(
          Math.abs(sum),
          `${rule.type} in the window from ${first.occurredAt}`,
        ).toBeLessThanOrEqual(Math.abs(rule.cap.points));
      }
    }
  }
}

export async function entryOf(store: LedgerStore, entryId: number): Promise<EntryRecord> {
  const entry = await store.entry(entryId);
  if (!entry) throw new Error(`no entry ${entryId}`);
  return entry;
}

export async function scoreOf(store: LedgerStore, subjectId: string): Promise<number | undefined> {
  return (await store.storedScore(subjectId))?.score;
}

/** The value of a write the test expects to succeed; a refusal fails the test with its reason. */
export function notRefused<Value extends object>(result: Value | { refused: string }): Value {
  if ("refused" in result) throw new Error(`refused: ${result.refused}`);
  return result;
}
