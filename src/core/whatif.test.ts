import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayAt, defaultDocument, defaultRulebook } from "../test-support/core.js";
import type { Award } from "./cap.js";
import { countsAt, type StoredStatus } from "./entry.js";
import { type HistoryChunk, replayStateOfStanding, standingCode } from "./history.js";
import { priceEvent } from "./price.js";
import { ratings } from "./rating.js";
import { replayScores } from "./replay.js";
import { compileRulebook, type Rulebook } from "./rulebook.js";
import type { RulebookDocument } from "./rulebook.schema.js";
import { ratingRank, WhatIfTally } from "./whatif.js";

type Event = Readonly<{
  subject: number;
  type: string;
  day: number;
  status?: StoredStatus;
  confirmed?: boolean;
  lowConfidence?: boolean;
  /** The points the entry counts now; by default the default rulebook's, if effective. */
  livePoints?: number;
}>;

const at = dayAt(100);
const types = [
  "civic.blood_donation",
  "traffic.red_light",
  "civic.volunteering",
  "finance.payment_default",
  "public.littering",
  "online.gaming_excess",
];
const regions = ["north", "south"];

/** One chunk, as a store would send it: subjects 0..n-1 (internal ids 1..n), events by time. */
function chunkOf(
  subjectRegions: readonly number[],
  events: readonly Event[],
  firstInternalId = 1,
): HistoryChunk {
  const sorted = [...events].sort(
    (left, right) => left.subject - right.subject || left.day - right.day,
  );
  const live = (event: Event) =>
    event.livePoints ??
    ((event.status ?? "effective") === "effective"
      ? (defaultRulebook.ruleByType.get(event.type)?.points ?? 0)
      : 0);
  return {
    subjects: {
      count: subjectRegions.length,
      internalIds: Int32Array.from(subjectRegions, (_, index) => firstInternalId + index),
      regionIndex: Int32Array.from(subjectRegions),
    },
    events: {
      length: sorted.length,
      subjectIndex: Int32Array.from(sorted, (event) => event.subject),
      typeIndex: Int32Array.from(sorted, (event) => types.indexOf(event.type)),
      occurredAt: Float64Array.from(sorted, (event) => dayAt(event.day)),
      standing: Uint8Array.from(sorted, (event) =>
        standingCode({
          status: event.status ?? "effective",
          confirmed: event.confirmed ?? false,
          lowConfidence: event.lowConfidence ?? false,
        }),
      ),
      livePoints: Int16Array.from(sorted, live),
    },
    regions,
    types,
  };
}

function draftOf(change: (document: RulebookDocument) => void): Rulebook {
  const document = defaultDocument();
  change(document);
  const compiled = compileRulebook(document);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.rulebook;
}

function setPoints(document: RulebookDocument, type: string, points: number): void {
  const rule = document.rules.find((candidate) => candidate.type === type);
  if (!rule) throw new Error(type);
  rule.points = points;
}

/**
 * Subject 1 (north): one red light, 990, B. Subject 2 (north): volunteering, 1010, A.
 * Subject 3 (south): nothing, 1000, A. Subject 4 (south): two red lights and a blood donation,
 * 1010, A; plus a reversed payment default and a littering report under appeal.
 */
const town = chunkOf(
  [0, 0, 1, 1],
  [
    { subject: 0, type: "traffic.red_light", day: 10 },
    { subject: 1, type: "civic.volunteering", day: 11 },
    { subject: 3, type: "traffic.red_light", day: 12 },
    { subject: 3, type: "traffic.red_light", day: 13 },
    { subject: 3, type: "civic.blood_donation", day: 14 },
    { subject: 3, type: "finance.payment_default", day: 15, status: "reversed" },
    { subject: 3, type: "public.littering", day: 16, status: "disputed" },
  ],
);

function tally(draft: Rulebook, chunks: readonly HistoryChunk[] = [town], mostAffectedCount = 20) {
  const whatIf = new WhatIfTally({ live: defaultRulebook, draft, at, mostAffectedCount });
  for (const chunk of chunks) whatIf.add(chunk);
  return whatIf.result();
}

describe("WhatIfTally", () => {
  it("moves nobody under the rulebook in force", () => {
    const result = tally(defaultRulebook);
    expect(result).toMatchObject({
      subjects: 4,
      events: 7,
      movedUp: 0,
      movedDown: 0,
      unchanged: 4,
    });
    expect(result.matrix.A.A).toBe(3);
    expect(result.matrix.B.B).toBe(1);
    expect(result.mostAffected).toEqual([]);
    expect(result.rules.every((rule) => rule.pointsChange === 0)).toBe(true);
    // The reversed entry is void; the one under appeal takes part, held.
    expect(result).toMatchObject({ priced: 6, capped: 0, unpriced: 1 });
  });

  it("lowering a threshold lifts the subjects between the old and the new one", () => {
    const result = tally(draftOf((document) => (document.ratingThresholds.A = 980)));
    expect(result).toMatchObject({ movedUp: 1, movedDown: 0, unchanged: 3 });
    expect(result.matrix.B.A).toBe(1);
    expect(result.regions).toEqual([
      expect.objectContaining({ region: "north", subjects: 2, movedUp: 1, movedDown: 0 }),
      expect.objectContaining({ region: "south", subjects: 2, movedUp: 0, movedDown: 0 }),
    ]);
    // No rule's points changed: the threshold moved them.
    expect(result.policyMoves).toEqual({ movedUp: 1, movedDown: 0 });
    expect(result.rules.every((rule) => rule.movedUp === 0 && rule.subjectsChanged === 0)).toBe(
      true,
    );
    expect(result.mostAffected).toEqual([
      {
        internalId: 1,
        region: "north",
        scoreNow: 990,
        scoreDraft: 990,
        ratingNow: "B",
        ratingDraft: "A",
      },
    ]);
  });

  it("a heavier rule moves the subjects it weighs on, and names itself as the driver", () => {
    const result = tally(draftOf((document) => setPoints(document, "traffic.red_light", -50)));
    expect(result).toMatchObject({ movedUp: 0, movedDown: 1, unchanged: 3 });
    expect(result.matrix.A.B).toBe(1);
    const red = result.rules.find((rule) => rule.type === "traffic.red_light");
    expect(red).toEqual({
      type: "traffic.red_light",
      pointsNow: -10,
      pointsDraft: -50,
      events: 3,
      pointsChange: -120,
      subjectsChanged: 2,
      movedUp: 0,
      movedDown: 1,
    });
    expect(result.policyMoves).toEqual({ movedUp: 0, movedDown: 0 });
    // First the one who changes rating, then the one who only loses points.
    expect(result.mostAffected.map((subject) => [subject.internalId, subject.scoreDraft])).toEqual([
      [4, 930],
      [1, 950],
    ]);
  });

  it("a rule dropped from the draft no longer prices its events", () => {
    const draft = draftOf((document) => {
      document.rules = document.rules.filter((rule) => rule.type !== "civic.blood_donation");
    });
    const result = tally(draft);
    expect(result.matrix.A.B).toBe(1);
    expect(result.rules.find((rule) => rule.type === "civic.blood_donation")).toMatchObject({
      pointsNow: 30,
      pointsDraft: undefined,
      pointsChange: -30,
      movedDown: 1,
    });
    expect(result.unpriced).toBe(2);
  });

  it("holds unconfirmed attributions below the draft's confidence threshold", () => {
    const camera = chunkOf(
      [0, 0, 0],
      [
        { subject: 0, type: "traffic.red_light", day: 1, lowConfidence: true },
        { subject: 1, type: "traffic.red_light", day: 1, lowConfidence: true, confirmed: true },
        { subject: 2, type: "traffic.red_light", day: 1, status: "pending_review", livePoints: 0 },
      ],
    );
    const result = tally(defaultRulebook, [camera]);
    // Subject 1 no longer counts until reviewed; subject 3 no longer waits for review.
    expect(result.mostAffected.map((subject) => [subject.internalId, subject.scoreDraft])).toEqual([
      [1, 1000],
      [3, 990],
    ]);
    expect(result.matrix).toMatchObject({ B: { A: 1 }, A: { B: 1 } });
  });

  it("adds up chunks, keeps the most affected in order, and lists at most the number asked", () => {
    const many = Array.from({ length: 3 }, (_, chunk) =>
      chunkOf(
        [0, 1],
        [
          { subject: 0, type: "traffic.red_light", day: chunk + 1 },
          { subject: 1, type: "finance.payment_default", day: chunk + 1 },
        ],
        1 + 2 * chunk,
      ),
    );
    const result = tally(
      draftOf((document) => {
        setPoints(document, "traffic.red_light", -20);
        setPoints(document, "finance.payment_default", -100);
      }),
      many,
      2,
    );
    expect(result).toMatchObject({ subjects: 6, events: 6, unchanged: 6 });
    expect(result.matrix.B.B).toBe(6);
    expect(result.mostAffected.map((subject) => [subject.internalId, subject.scoreDraft])).toEqual([
      [2, 900],
      [4, 900],
    ]);
  });

  it("changes nothing when the draft is the rulebook that priced the ledger (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            subject: fc.nat({ max: 3 }),
            type: fc.constantFrom(
              "civic.volunteering",
              "traffic.red_light",
              "online.gaming_excess",
            ),
            day: fc.nat({ max: 200 }),
            held: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (events) => {
          const chunk = chunkOf([0, 1, 0, 1], priceLikeTheLedger(events, defaultRulebook));
          const result = tally(defaultRulebook, [chunk]);
          expect(result.unchanged).toBe(4);
          expect(result.mostAffected).toEqual([]);
          expect(result.rules.every((rule) => rule.pointsChange === 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("WhatIfTally's one-pass replay", () => {
  const statuses: StoredStatus[] = [
    "effective",
    "pending_review",
    "capped",
    "disputed",
    "reversed",
    "rejected",
  ];
  const event = fc.record({
    subject: fc.nat({ max: 5 }),
    type: fc.constantFrom(...types),
    day: fc.integer({ min: -800, max: 200 }),
    status: fc.constantFrom(...statuses),
    confirmed: fc.boolean(),
    lowConfidence: fc.boolean(),
    livePoints: fc.integer({ min: -100, max: 100 }),
  });
  const draft = fc
    .record({
      redLight: fc.integer({ min: -60, max: 60 }).filter((points) => points !== 0),
      volunteering: fc.integer({ min: 1, max: 50 }),
      dropLittering: fc.boolean(),
      thresholdA: fc.integer({ min: 900, max: 1100 }),
    })
    .map((change) =>
      draftOf((document) => {
        setPoints(document, "traffic.red_light", change.redLight);
        setPoints(document, "civic.volunteering", change.volunteering);
        if (change.dropLittering) {
          document.rules = document.rules.filter((rule) => rule.type !== "public.littering");
        }
        document.ratingThresholds.A = change.thresholdA;
      }),
    );

  it("prices each subject as replayScores does, and books the same changes (property)", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), draft, (events, draftRulebook) => {
        const subjectRegions = [0, 1, 0, 1, 1, 0];
        const chunk = chunkOf(subjectRegions, events);
        const result = tally(draftRulebook, [chunk], 1_000);
        const reference = referenceTally(chunk, draftRulebook);
        expect(result.priced).toBe(reference.priced);
        expect(result.capped).toBe(reference.capped);
        expect(result.unpriced).toBe(reference.unpriced);
        const moved = (list: { internalId: number; scoreNow: number; scoreDraft: number }[]) =>
          list
            .map(({ internalId, scoreNow, scoreDraft }) => [internalId, scoreNow, scoreDraft])
            .sort((left, right) => (left[0] as number) - (right[0] as number));
        expect(moved(result.mostAffected)).toEqual(moved(reference.changed));
        for (const now of ratings) {
          for (const later of ratings) {
            expect(result.matrix[now][later]).toBe(reference.matrix.get(`${now}/${later}`) ?? 0);
          }
        }
        for (const row of result.rules) {
          expect(row.pointsChange).toBe(reference.pointsChange.get(row.type) ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The tally's figures the long way: `replayScores` on the whole chunk, then a pass per subject. */
function referenceTally(chunk: HistoryChunk, draft: Rulebook) {
  const { events, subjects } = chunk;
  const ruleIndex = Int32Array.from(
    events.typeIndex,
    (type) => draft.ruleByType.get(chunk.types[type] as string)?.index ?? -1,
  );
  const state = Uint8Array.from(events.standing, (code) => replayStateOfStanding(code));
  const awarded = new Int32Array(events.length);
  const replayed = replayScores(
    { ...events, ruleIndex, state },
    draft,
    subjects.count,
    at,
    awarded,
  );
  const liveSums = new Array<number>(subjects.count).fill(0);
  const pointsChange = new Map<string, number>();
  events.livePoints.forEach((live, index) => {
    const subject = events.subjectIndex[index] as number;
    liveSums[subject] = (liveSums[subject] as number) + live;
    const type = chunk.types[events.typeIndex[index] as number] as string;
    pointsChange.set(type, (pointsChange.get(type) ?? 0) + (awarded[index] as number) - live);
  });
  const matrix = new Map<string, number>();
  const changed: { internalId: number; scoreNow: number; scoreDraft: number }[] = [];
  liveSums.forEach((liveSum, subject) => {
    const scoreNow = defaultRulebook.baseScore + liveSum;
    const scoreDraft = replayed.scores[subject] as number;
    const now = ratings[ratingRank(scoreNow, defaultRulebook.ratingThresholds)];
    const later = ratings[ratingRank(scoreDraft, draft.ratingThresholds)];
    matrix.set(`${now}/${later}`, (matrix.get(`${now}/${later}`) ?? 0) + 1);
    if (scoreNow !== scoreDraft || now !== later) {
      changed.push({ internalId: subjects.internalIds[subject] as number, scoreNow, scoreDraft });
    }
  });
  return { ...replayed, matrix, changed, pointsChange };
}

/** Statuses and live points as ingestion would have recorded them, with `priceEvent`. */
function priceLikeTheLedger(
  events: readonly { subject: number; type: string; day: number; held: boolean }[],
  rulebook: Rulebook,
): Event[] {
  const sorted = [...events].sort((left, right) => left.day - right.day);
  const awards = new Map<string, Award[]>();
  return sorted.map((event) => {
    const rule = rulebook.ruleByType.get(event.type);
    if (!rule) throw new Error(event.type);
    const key = `${event.subject}/${event.type}`;
    const held = awards.get(key) ?? [];
    const occurredAt = dayAt(event.day);
    const priced = priceEvent({
      event: {
        id: "e",
        subject: String(event.subject),
        type: event.type,
        occurredAt,
        evidence: { description: "d", reference: "r" },
        confidence: event.held ? 0.5 : undefined,
        region: undefined,
        attributes: undefined,
      },
      rule,
      confidenceMin: rulebook.cameraConfidenceMin,
      receivedAt: occurredAt,
      awards: held,
    });
    if (priced.status !== "capped")
      awards.set(key, [...held, { occurredAt, points: priced.points }]);
    return {
      subject: event.subject,
      type: event.type,
      day: event.day,
      status: priced.status,
      lowConfidence: event.held,
      livePoints: countsAt({ ...priced, status: priced.status }, at) ? priced.points : 0,
    };
  });
}
