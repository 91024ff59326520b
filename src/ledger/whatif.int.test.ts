import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRulebook } from "../core/rulebook.parse.js";
import { days } from "../core/time.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import type { LedgerStore } from "../store/store.js";
import { defaultRulebookText } from "../test-support/core.js";
import { openTestLedger, type TestLedger } from "../test-support/ledger.js";
import { whatIf } from "./whatif.js";

const start = Date.parse("2026-02-01T00:00:00Z");
const now = start + days(30);

function draft(replacements: ReadonlyArray<readonly [string, string]>) {
  let text = defaultRulebookText;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`no '${from}' in the default rulebook`);
    text = text.replace(from, to);
  }
  const parsed = parseRulebook(text, "draft.yaml");
  if (!parsed.ok) throw new Error(parsed.problems.map((problem) => problem.message).join("; "));
  return parsed.rulebook;
}

const lowerThresholds = draft([
  ["  A: 1000\n", "  A: 980\n"],
  ["  B: 850\n", "  B: 800\n"],
]);
/** Red lights cost five times as much. */
const harsherRedLights = draft([
  [
    "    points: -10\n    expiresAfterDays: 365\n    legalBasis: Road Traffic Regulations, signal",
    "    points: -50\n    expiresAfterDays: 365\n    legalBasis: Road Traffic Regulations, signal",
  ],
]);

let ledger: TestLedger;

/**
 * amy (north): one red light, 990, B. ben (north): a red light and volunteering, 1000, A.
 * cho (south): two red lights, a blood donation, 1010, A. dan (south): a payment default
 * under appeal (1000, A) and a reversed drunk-driving report. eve (south): nothing.
 */
beforeAll(async () => {
  ledger = await openTestLedger({
    at: start,
    sources: [{ name: "registry", kind: "agency", allowedTypes: ["*"] }],
    subjects: [
      { id: "amy", region: "north" },
      { id: "ben", region: "north" },
      { id: "cho", region: "south" },
      { id: "dan", region: "south" },
      { id: "eve", region: "south" },
    ],
  });
  const registry = ledger.sources.get("registry");
  if (!registry) throw new Error("no source");
  let serial = 0;
  const event = (subject: string, type: string, day: number) => ({
    payloadHash: `hash-${++serial}`,
    event: {
      id: `e-${serial}`,
      subject,
      type,
      occurredAt: start + days(day),
      evidence: { description: "report", reference: `ref-${serial}` },
      confidence: undefined,
      region: undefined,
      attributes: undefined,
    },
  });
  const outcomes = await ledger.store.ingestBatch(
    registry,
    [
      event("amy", "traffic.red_light", 1),
      event("ben", "traffic.red_light", 2),
      event("ben", "civic.volunteering", 3),
      event("cho", "traffic.red_light", 4),
      event("cho", "civic.blood_donation", 5),
      event("cho", "traffic.red_light", 1),
      event("dan", "finance.payment_default", 6),
      event("dan", "traffic.drunk_driving", 7),
    ],
    start + days(10),
  );
  expect(outcomes.every((outcome) => outcome.kind === "accepted")).toBe(true);
  const decide = (kind: "appealed" | "reversed") => ({
    kind,
    actor: "reviewer",
    at: start + days(11),
    reason: kind,
  });
  expect(await ledger.store.applyTransition(7, decide("appealed"))).toMatchObject({ ok: true });
  expect(await ledger.store.applyTransition(8, decide("reversed"))).toMatchObject({ ok: true });
});
afterAll(() => ledger.close());

async function ledgerRows(store: LedgerStore) {
  const page = await store.subjectsPage(0, 100);
  const ids = page.map((subject) => subject.internalId);
  const entries = await store.entriesOfSubjects(ids);
  return {
    clock: await store.ledgerClock(),
    counts: await store.counts(),
    rulebooks: await store.rulebookHistory(),
    scores: [...(await store.storedScores(ids)).entries()],
    entries: [...entries.entries()],
    transitions: await Promise.all(
      [...entries.values()].flat().map((entry) => store.transitions(entry.id)),
    ),
    ratingChanges: await Promise.all(page.map((subject) => store.ratingChanges(subject.id))),
  };
}

describe("whatIf over a SQLite ledger", () => {
  it("compares with the stored scores: the rulebook in force moves nobody", async () => {
    const parsed = parseRulebook(defaultRulebookText, "default.yaml");
    if (!parsed.ok) throw new Error("default rulebook");
    const report = await whatIf(ledger.store, { draft: parsed.rulebook, at: now });
    expect(report).toMatchObject({ subjects: 5, events: 8, movedUp: 0, movedDown: 0 });
    expect(report.matrix).toMatchObject({ A: { A: 4 }, B: { B: 1 } });
    expect(report.live).toEqual({ version: 1, title: "Civic Credit default rulebook" });
    expect(report.mostAffected).toEqual([]);
  });

  it("lowering thresholds lifts the people just below them", async () => {
    const report = await whatIf(ledger.store, { draft: lowerThresholds, at: now });
    expect(report).toMatchObject({ movedUp: 1, movedDown: 0, unchanged: 4 });
    expect(report.matrix.B.A).toBe(1);
    expect(report.policyMoves).toEqual({ movedUp: 1, movedDown: 0 });
    expect(report.mostAffected).toEqual([
      {
        subjectId: "amy",
        region: "north",
        scoreNow: 990,
        scoreDraft: 990,
        ratingNow: "B",
        ratingDraft: "A",
      },
    ]);
    const north = report.regions.find((region) => region.region === "north");
    expect(north).toMatchObject({ subjects: 2, movedUp: 1, movedDown: 0 });
  });

  it("a harsher rule moves those it weighs on, by region and by rule", async () => {
    const report = await whatIf(ledger.store, { draft: harsherRedLights, at: now });
    // amy 990 -> 950 (B, B); ben 1000 -> 960 (A -> B); cho 1010 -> 930 (A -> B).
    expect(report).toMatchObject({ movedUp: 0, movedDown: 2, unchanged: 3 });
    expect(report.matrix).toMatchObject({ A: { B: 2, A: 2 }, B: { B: 1 } });
    expect(report.regions.map(({ region, movedDown }) => [region, movedDown])).toEqual([
      ["north", 1],
      ["south", 1],
    ]);
    expect(report.rules.find((rule) => rule.type === "traffic.red_light")).toEqual({
      type: "traffic.red_light",
      pointsNow: -10,
      pointsDraft: -50,
      events: 4,
      pointsChange: -160,
      subjectsChanged: 3,
      movedUp: 0,
      movedDown: 2,
    });
    expect(report.mostAffected.map((subject) => [subject.subjectId, subject.scoreDraft])).toEqual([
      ["cho", 930],
      ["ben", 960],
      ["amy", 950],
    ]);
    for (const subject of report.mostAffected) {
      expect((await ledger.store.storedScore(subject.subjectId))?.score).toBe(subject.scoreNow);
    }
  });

  // The last test: it closes the ledger's writer.
  it("leaves every row of the ledger as it was, and a read-only file byte for byte", async () => {
    const before = await ledgerRows(ledger.store);
    await whatIf(ledger.store, { draft: harsherRedLights, at: now + days(400) });
    expect(await ledgerRows(ledger.store)).toEqual(before);

    // The writer checkpoints its log into the file in the background: close it first.
    await ledger.store.close();
    const path = sqliteDatabasePath(ledger.directory);
    const hash = () => createHash("sha256").update(readFileSync(path)).digest("hex");
    const bytes = hash();
    const reader = openSqliteStore({ path, readOnly: true });
    try {
      const report = await whatIf(reader, { draft: lowerThresholds, at: now });
      expect(report.movedUp).toBe(1);
    } finally {
      await reader.close();
    }
    expect(hash()).toBe(bytes);
  });
});
