import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agencySource,
  conductStream,
  dayAt,
  defaultRulebook,
  MemoryLedger,
  ruleOf,
  streamSubjectIds,
} from "../test-support/core.js";
import { type LedgerLine, type StoredStatus, storedStatuses } from "./entry.js";
import { ratingOf } from "./rating.js";
import { ratingHistory, type ScorePoint, scoreAt, scoreTimeline } from "./score.js";
import { transitionKinds } from "./transition.js";

const policy = defaultRulebook;

function line(
  points: number,
  fromDay: number,
  toDay: number,
  status: StoredStatus = "effective",
): LedgerLine {
  return { points, status, effectiveAt: dayAt(fromDay), expiresAt: dayAt(toDay) };
}

/** The score by its definition, written out without `countsAt`. */
function scoreByDefinition(lines: readonly LedgerLine[], baseScore: number, at: number): number {
  let score = baseScore;
  for (const entry of lines) {
    const counts = entry.status === "effective" && entry.effectiveAt <= at && at < entry.expiresAt;
    if (counts) score += entry.points;
  }
  return score;
}

describe("scoreAt", () => {
  it("is the base with no entries", () => {
    expect(scoreAt([], 1000, dayAt(0))).toBe(1000);
  });

  it("counts an entry from its effective time up to, not including, its expiry", () => {
    const lines = [line(-10, 10, 20)];
    expect(scoreAt(lines, 1000, dayAt(10) - 1)).toBe(1000);
    expect(scoreAt(lines, 1000, dayAt(10))).toBe(990);
    expect(scoreAt(lines, 1000, dayAt(20) - 1)).toBe(990);
    expect(scoreAt(lines, 1000, dayAt(20))).toBe(1000);
  });

  it.each(storedStatuses.filter((status) => status !== "effective"))(
    "does not count an entry that is %s",
    (status) => {
      expect(scoreAt([line(-10, 0, 20, status)], 1000, dayAt(5))).toBe(1000);
    },
  );

  it("takes any iterable", () => {
    const lines = new Set([line(5, 0, 10), line(7, 0, 10)]);
    expect(scoreAt(lines.values(), 1000, dayAt(1))).toBe(1012);
  });
});

describe("scoreTimeline and ratingHistory", () => {
  it("moves the score and the rating at the expiry time, with no event arriving", () => {
    // A heroic act and a volunteering shift lift the subject into AA until the first expires.
    const lines = [line(120, 0, 100), line(40, 10, 200)];
    const range = { from: dayAt(-1), to: dayAt(400) };
    expect(scoreTimeline(lines, policy, range)).toEqual([
      { at: dayAt(-1), score: 1000, rating: "A" },
      { at: dayAt(0), score: 1120, rating: "A" },
      { at: dayAt(10), score: 1160, rating: "AA" },
      { at: dayAt(100), score: 1040, rating: "A" },
      { at: dayAt(200), score: 1000, rating: "A" },
    ]);
    expect(ratingHistory(lines, policy, range)).toEqual([
      { at: dayAt(-1), score: 1000, rating: "A" },
      { at: dayAt(10), score: 1160, rating: "AA" },
      { at: dayAt(100), score: 1040, rating: "A" },
    ]);
  });

  it("shows a drunk-driving deduction's recovery exactly when it expires", () => {
    const rule = ruleOf(defaultRulebook, "traffic.drunk_driving");
    const occurredAt = dayAt(0);
    const lines: LedgerLine[] = [
      {
        points: rule.points,
        status: "effective",
        effectiveAt: occurredAt,
        expiresAt: occurredAt + rule.expiresAfterMilliseconds,
      },
      line(-60, 0, 2000),
    ];
    const history = ratingHistory(lines, policy, { from: dayAt(0), to: dayAt(1500) });
    expect(history).toEqual([
      { at: dayAt(0), score: 840, rating: "C" },
      { at: dayAt(1095), score: 940, rating: "B" },
    ]);
  });

  it("starts with the score at `from` and leaves out changes outside the range", () => {
    const lines = [line(-10, 0, 365), line(-5, 50, 60)];
    expect(scoreTimeline(lines, policy, { from: dayAt(55), to: dayAt(59) })).toEqual([
      { at: dayAt(55), score: 985, rating: "B" },
    ]);
    // A change exactly at `from` is in the first point; one exactly at `to` is included.
    expect(scoreTimeline(lines, policy, { from: dayAt(50), to: dayAt(60) })).toEqual([
      { at: dayAt(50), score: 985, rating: "B" },
      { at: dayAt(60), score: 990, rating: "B" },
    ]);
  });

  it("merges changes at the same instant and drops those that cancel out", () => {
    const lines = [line(-10, 0, 30), line(-10, 30, 60), line(5, 30, 60)];
    expect(scoreTimeline(lines, policy, { from: dayAt(-1), to: dayAt(100) })).toEqual([
      { at: dayAt(-1), score: 1000, rating: "A" },
      { at: dayAt(0), score: 990, rating: "B" },
      { at: dayAt(30), score: 995, rating: "B" },
      { at: dayAt(60), score: 1000, rating: "A" },
    ]);
    // One deduction ending as an equal one begins: no change, so no point.
    expect(
      scoreTimeline([line(-10, 0, 30), line(-10, 30, 60)], policy, {
        from: dayAt(-1),
        to: dayAt(100),
      }),
    ).toEqual([
      { at: dayAt(-1), score: 1000, rating: "A" },
      { at: dayAt(0), score: 990, rating: "B" },
      { at: dayAt(60), score: 1000, rating: "A" },
    ]);
  });

  it("ignores entries that do not count: pending, disputed, capped, reversed, rejected, zero", () => {
    const lines = [
      line(-10, 1, 30, "pending_review"),
      line(-10, 1, 30, "disputed"),
      line(0, 1, 30, "capped"),
      line(-10, 1, 30, "reversed"),
      line(-10, 1, 30, "rejected"),
      line(0, 1, 30),
    ];
    expect(scoreTimeline(lines, policy, { from: dayAt(0), to: dayAt(100) })).toEqual([
      { at: dayAt(0), score: 1000, rating: "A" },
    ]);
  });

  it("never counts an entry that expires before it takes effect", () => {
    const lines = [line(-500, 10, 10), line(-500, 20, 15)];
    expect(scoreTimeline(lines, policy, { from: dayAt(0), to: dayAt(100) })).toEqual([
      { at: dayAt(0), score: 1000, rating: "A" },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

const receivedAt = dayAt(300) + 3_600_000;

/** A ledger built from a generated stream, with some entries reviewed or appealed. */
const ledgerArbitrary = fc
  .record({
    items: conductStream({ receivedAt }),
    decisions: fc.array(fc.record({ entry: fc.nat(), kind: fc.constantFrom(...transitionKinds) }), {
      maxLength: 20,
    }),
  })
  .map(({ items, decisions }) => {
    const ledger = new MemoryLedger(defaultRulebook, streamSubjectIds, agencySource);
    ledger.ingest(items, receivedAt);
    for (const { entry, kind } of decisions) {
      const chosen = ledger.entries[entry % Math.max(ledger.entries.length, 1)];
      if (chosen) ledger.transition(chosen.entryId, kind);
    }
    return ledger;
  });

/** Every moment the score may change, and the milliseconds either side. */
function criticalTimes(lines: readonly LedgerLine[]): number[] {
  return lines.flatMap((entry) =>
    [entry.effectiveAt, entry.expiresAt].flatMap((time) => [time - 1, time, time + 1]),
  );
}

function pointAt(timeline: readonly ScorePoint[], at: number): ScorePoint | undefined {
  return timeline.findLast((point) => point.at <= at);
}

describe("score properties", () => {
  it("equals the base plus the points of the counting entries, at any time, on the timeline too", () => {
    fc.assert(
      fc.property(ledgerArbitrary, fc.integer({ min: -10, max: 2_000 }), (ledger, extraDay) => {
        for (const subjectId of streamSubjectIds.values()) {
          const lines = ledger.lines(subjectId);
          const range = { from: dayAt(-900), to: dayAt(2_000) };
          const timeline = scoreTimeline(lines, policy, range);
          for (const at of [...criticalTimes(lines), dayAt(extraDay), range.from, range.to]) {
            const expected = scoreByDefinition(lines, policy.baseScore, at);
            expect(scoreAt(lines, policy.baseScore, at)).toBe(expected);
            if (at >= range.from && at <= range.to) {
              expect(pointAt(timeline, at)).toMatchObject({
                score: expected,
                rating: ratingOf(expected, policy.ratingThresholds),
              });
            }
          }
          // A timeline lists real changes only, in time order.
          for (let index = 1; index < timeline.length; index++) {
            const previous = timeline[index - 1] as ScorePoint;
            const point = timeline[index] as ScorePoint;
            expect(point.at).toBeGreaterThan(previous.at);
            expect(point.score).not.toBe(previous.score);
          }
          // The rating history is the timeline's rating changes.
          const history = ratingHistory(lines, policy, range);
          expect(history[0]).toEqual(timeline[0]);
          for (let index = 1; index < history.length; index++) {
            expect(history[index]?.rating).not.toBe(history[index - 1]?.rating);
            expect(pointAt(timeline, history[index]?.at ?? 0)).toEqual(history[index]);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it("keeps the timeline equal to scoreAt for arbitrary lines, even ones that never count", () => {
    const anyLine = fc.record({
      points: fc.integer({ min: -200, max: 200 }),
      status: fc.constantFrom(...storedStatuses),
      effectiveAt: fc.integer({ min: 0, max: 50 }),
      expiresAt: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(
        fc.array(anyLine, { maxLength: 12 }),
        fc.integer({ min: -5, max: 55 }),
        (lines, from) => {
          const timeline = scoreTimeline(lines, policy, { from, to: 55 });
          for (let at = from; at <= 55; at++) {
            expect(pointAt(timeline, at)?.score).toBe(
              scoreByDefinition(lines, policy.baseScore, at),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("after an entry's expiry, equals the score computed without that entry", () => {
    fc.assert(
      fc.property(
        ledgerArbitrary,
        fc.nat(),
        fc.integer({ min: 0, max: 1_000 * 86_400_000 }),
        (ledger, pick, after) => {
          const lines = ledger.lines();
          if (lines.length === 0) return;
          const index = pick % lines.length;
          const gone = lines[index] as LedgerLine;
          const others = lines.filter((_, other) => other !== index);
          for (const at of [gone.expiresAt, gone.expiresAt + 1, gone.expiresAt + after]) {
            expect(scoreAt(lines, policy.baseScore, at)).toBe(
              scoreAt(others, policy.baseScore, at),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
