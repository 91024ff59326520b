import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agencySource,
  conductStream,
  dayAt,
  defaultRulebook,
  MemoryLedger,
  streamSubjectIds,
} from "../test-support/core.js";
import { type Award, fitsUnderCap } from "./cap.js";
import type { Cap } from "./rulebook.js";
import { days } from "./time.js";
import { transitionKinds } from "./transition.js";

const healthyCap: Cap = { points: 10, windowDays: 30, windowMilliseconds: days(30) };
const gamingCap: Cap = { points: -30, windowDays: 30, windowMilliseconds: days(30) };

const at = dayAt(100);
const awardsAt = (points: number, ...times: number[]): Award[] =>
  times.map((occurredAt) => ({ occurredAt, points }));

describe("fitsUnderCap", () => {
  it("fits a single event under an empty cap, and not one bigger than the cap", () => {
    expect(fitsUnderCap([], at, 10, healthyCap)).toBe(true);
    expect(fitsUnderCap([], at, 11, healthyCap)).toBe(false);
    expect(fitsUnderCap([], at, -30, gamingCap)).toBe(true);
    expect(fitsUnderCap([], at, -31, gamingCap)).toBe(false);
  });

  it("counts an award exactly one window away as outside, one millisecond closer as inside", () => {
    const window = healthyCap.windowMilliseconds;
    const nine = awardsAt(1, ...Array(9).fill(at));
    for (const other of [at - window, at + window]) {
      expect(fitsUnderCap([...nine, ...awardsAt(1, other)], at, 1, healthyCap)).toBe(true);
    }
    for (const other of [at - window + 1, at + window - 1]) {
      expect(fitsUnderCap([...nine, ...awardsAt(1, other)], at, 1, healthyCap)).toBe(false);
    }
  });

  it("refuses a late event that would overfill a window with awards on both sides", () => {
    const around = [
      ...awardsAt(1, ...[1, 2, 3, 4, 5].map((day) => at - days(day))),
      ...awardsAt(1, ...[1, 2, 3, 4, 5].map((day) => at + days(day))),
    ];
    expect(fitsUnderCap(around, at, 1, healthyCap)).toBe(false);
  });

  it("fits an event between two halves no single window can hold together", () => {
    const apart = [
      ...awardsAt(1, ...[20, 21, 22, 23, 24].map((day) => at - days(day))),
      ...awardsAt(1, ...[20, 21, 22, 23, 24].map((day) => at + days(day))),
    ];
    expect(fitsUnderCap(apart, at, 1, healthyCap)).toBe(true);
  });

  it("caps deductions by their size", () => {
    const nine = awardsAt(-3, ...Array.from({ length: 9 }, (_, index) => at - days(index)));
    expect(fitsUnderCap(nine, at, -3, gamingCap)).toBe(true);
    expect(fitsUnderCap([...nine, ...awardsAt(-3, at + days(1))], at, -3, gamingCap)).toBe(false);
  });

  it("adds awards of different sizes (a rule's points may change between rulebooks)", () => {
    expect(fitsUnderCap(awardsAt(5, at - 1, at + 1), at, 1, healthyCap)).toBe(false);
    expect(fitsUnderCap(awardsAt(5, at - 1), at, 5, healthyCap)).toBe(true);
  });

  it("agrees with checking every window that contains the event, millisecond by millisecond", () => {
    // A cap with a 20 ms window makes the brute force cheap; the logic does not care about units.
    const window = 20;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            occurredAt: fc.integer({ min: 0, max: 80 }),
            points: fc.integer({ min: 1, max: 4 }),
          }),
          {
            maxLength: 12,
          },
        ),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 4, max: 16 }),
        fc.boolean(),
        (awards, occurredAt, points, limit, negative) => {
          const sign = negative ? -1 : 1;
          const cap: Cap = { points: sign * limit, windowDays: 1, windowMilliseconds: window };
          const signed = awards.map((award) => ({ ...award, points: sign * award.points }));
          let fits = true;
          for (let start = occurredAt - window + 1; start <= occurredAt; start++) {
            let sum = points;
            for (const award of awards) {
              if (award.occurredAt >= start && award.occurredAt < start + window)
                sum += award.points;
            }
            if (sum > limit) fits = false;
          }
          expect(fitsUnderCap(signed, occurredAt, sign * points, cap)).toBe(fits);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe("caps over whole streams (property)", () => {
  const cappedRules = defaultRulebook.rules.filter((rule) => rule.cap);
  const receivedAt = dayAt(300) + 3_600_000;

  /** Every window of the cap's length, slid over the awards, holds at most the cap. */
  function expectNoWindowOverfull(ledger: MemoryLedger) {
    for (const subjectId of streamSubjectIds.values()) {
      for (const rule of cappedRules) {
        const cap = rule.cap as Cap;
        const sign = Math.sign(cap.points);
        const awards = ledger
          .awards(subjectId, rule.type)
          .sort((left, right) => left.occurredAt - right.occurredAt);
        // Sliding: a fullest window can always be moved to start at one of its awards.
        awards.forEach((first, index) => {
          let sum = 0;
          for (const award of awards.slice(index)) {
            if (award.occurredAt >= first.occurredAt + cap.windowMilliseconds) break;
            sum += award.points * sign;
          }
          expect(sum).toBeLessThanOrEqual(cap.points * sign);
        });
        // Pairs: with equal awards, the award `awardsMax` places later lies a full window on.
        const awardsMax = Math.floor(Math.abs(cap.points) / Math.abs(rule.points));
        for (let index = 0; index + awardsMax < awards.length; index++) {
          const gap =
            (awards[index + awardsMax] as Award).occurredAt - (awards[index] as Award).occurredAt;
          expect(gap).toBeGreaterThanOrEqual(cap.windowMilliseconds);
        }
      }
    }
  }

  it("never overfills a cap window, for any arrival order, batch sizes and review decisions", () => {
    fc.assert(
      fc.property(
        conductStream({
          receivedAt,
          lengthMax: 60,
          types: cappedRules.map((rule) => rule.type),
        }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ entry: fc.nat(), kind: fc.constantFrom(...transitionKinds) }), {
          maxLength: 30,
        }),
        (items, sizes, decisions) => {
          const ledger = new MemoryLedger(defaultRulebook, streamSubjectIds, agencySource);
          let decision = 0;
          for (let start = 0, turn = 0; start < items.length; turn++) {
            const size = sizes[turn % sizes.length] as number;
            ledger.ingest(items.slice(start, start + size), receivedAt);
            start += size;
            // Between batches, reviewers and appeals change some entries (freeing cap room).
            for (let count = 0; count < 3 && decision < decisions.length; count++, decision++) {
              const { entry: pick, kind } = decisions[decision] as (typeof decisions)[number];
              const entry = ledger.entries[pick % Math.max(ledger.entries.length, 1)];
              if (entry) ledger.transition(entry.entryId, kind);
            }
            expectNoWindowOverfull(ledger);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
