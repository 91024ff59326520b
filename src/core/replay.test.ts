import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayAt, defaultDocument, defaultRulebook, makeEvent } from "../test-support/core.js";
import type { Award } from "./cap.js";
import type { LedgerLine } from "./entry.js";
import { priceEvent } from "./price.js";
import { type ReplayColumns, replayScores, replayState } from "./replay.js";
import { compileRulebook, type Rulebook } from "./rulebook.js";
import { scoreAt } from "./score.js";
import { millisecondsPerDay } from "./time.js";

type ReplayEvent = { subject: number; rule: number; occurredAt: number; state: number };

/** Columns in the order replay wants them: by subject, then by occurrence time. */
function columnsOf(events: readonly ReplayEvent[]): ReplayColumns {
  const sorted = [...events].sort(
    (left, right) => left.subject - right.subject || left.occurredAt - right.occurredAt,
  );
  return {
    length: sorted.length,
    subjectIndex: Int32Array.from(sorted, (event) => event.subject),
    ruleIndex: Int32Array.from(sorted, (event) => event.rule),
    occurredAt: Float64Array.from(sorted, (event) => event.occurredAt),
    state: Uint8Array.from(sorted, (event) => event.state),
  };
}

/**
 * The reference: the whole stream sorted by occurrence time, each event priced with
 * `priceEvent` against the awards before it, then `scoreAt`.
 */
function replayByPricing(
  events: readonly ReplayEvent[],
  rulebook: Rulebook,
  subjectCount: number,
  at: number,
) {
  const sorted = [...events].sort((left, right) => left.occurredAt - right.occurredAt);
  const awards = new Map<string, Award[]>();
  const lines: LedgerLine[][] = Array.from({ length: subjectCount }, () => []);
  let capped = 0;
  let unpriced = 0;
  for (const event of sorted) {
    const rule = rulebook.rules[event.rule];
    if (!rule || event.state === replayState.void) {
      unpriced++;
      continue;
    }
    const key = `${event.subject}/${rule.type}`;
    const held = awards.get(key) ?? [];
    const priced = priceEvent({
      event: makeEvent({ type: rule.type, occurredAt: event.occurredAt }),
      rule,
      confidenceMin: rulebook.cameraConfidenceMin,
      receivedAt: event.occurredAt,
      awards: held,
    });
    if (priced.status === "capped") {
      capped++;
      continue;
    }
    awards.set(key, [...held, { occurredAt: event.occurredAt, points: priced.points }]);
    lines[event.subject]?.push({
      ...priced,
      status: event.state === replayState.normal ? "effective" : "pending_review",
    });
  }
  return {
    scores: lines.map((subjectLines) => scoreAt(subjectLines, rulebook.baseScore, at)),
    priced: events.length - unpriced,
    capped,
    unpriced,
  };
}

/** The default rulebook, and one whose caps do not divide evenly by the points. */
function awkwardRulebook(): Rulebook {
  const document = defaultDocument();
  for (const rule of document.rules) {
    if (rule.type === "civic.volunteering") rule.cap = { points: 25, windowDays: 7 };
    if (rule.type === "finance.loan_repaid_on_time") rule.cap = { points: 7, windowDays: 10 };
    if (rule.type === "online.gaming_excess") rule.cap = { points: -31, windowDays: 3 };
  }
  const result = compileRulebook(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.rulebook;
}

const rulebooks = [defaultRulebook, awkwardRulebook()];
const cappedIndexes = defaultRulebook.rules.filter((rule) => rule.cap).map((rule) => rule.index);

const replayCase = fc
  .record({
    awkward: fc.boolean(),
    subjectCount: fc.integer({ min: 1, max: 4 }),
    spanDays: fc.constantFrom(2, 20, 400),
    events: fc.array(
      fc.record({
        subject: fc.nat(),
        rule: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...cappedIndexes) },
          { weight: 3, arbitrary: fc.integer({ min: 0, max: defaultRulebook.rules.length - 1 }) },
          { weight: 1, arbitrary: fc.constant(-1) },
        ),
        day: fc.nat(),
        millisecond: fc.oneof(fc.constant(0), fc.nat({ max: millisecondsPerDay - 1 })),
        state: fc.oneof(
          { weight: 6, arbitrary: fc.constant<number>(replayState.normal) },
          { weight: 1, arbitrary: fc.constant<number>(replayState.held) },
          { weight: 1, arbitrary: fc.constant<number>(replayState.void) },
        ),
      }),
      { maxLength: 80, size: "max" },
    ),
    atPick: fc.nat(),
    atShift: fc.constantFrom(-1, 0, 1, 0),
  })
  .map(({ awkward, subjectCount, spanDays, events, atPick, atShift }) => {
    const rulebook = rulebooks[awkward ? 1 : 0] as Rulebook;
    const replayEvents = events.map((event) => ({
      subject: event.subject % subjectCount,
      rule: event.rule,
      occurredAt: dayAt(event.day % spanDays) + event.millisecond,
      state: event.state,
    }));
    // Ask about an instant where something happens: an occurrence or an expiry, or next to one.
    const moments = replayEvents.flatMap((event) => {
      const rule = rulebook.rules[event.rule];
      return rule ? [event.occurredAt, event.occurredAt + rule.expiresAfterMilliseconds] : [];
    });
    const at = (moments.length ? (moments[atPick % moments.length] as number) : dayAt(0)) + atShift;
    return { awkward, subjectCount, events: replayEvents, at };
  });

describe("replayScores", () => {
  it("scores an empty history at the base", () => {
    const result = replayScores(columnsOf([]), defaultRulebook, 3, dayAt(0));
    expect([...result.scores]).toEqual([1000, 1000, 1000]);
    expect(result).toMatchObject({ priced: 0, capped: 0, unpriced: 0 });
  });

  it("prices, caps, holds and voids like the ledger", () => {
    const volunteering = defaultRulebook.ruleByType.get("civic.volunteering")?.index as number;
    const redLight = defaultRulebook.ruleByType.get("traffic.red_light")?.index as number;
    const events: ReplayEvent[] = [
      ...Array.from({ length: 7 }, (_, day) => ({
        subject: 0,
        rule: volunteering,
        occurredAt: dayAt(day),
        state: day === 0 ? replayState.held : replayState.normal,
      })),
      { subject: 1, rule: redLight, occurredAt: dayAt(3), state: replayState.normal },
      { subject: 1, rule: redLight, occurredAt: dayAt(4), state: replayState.void },
      { subject: 1, rule: -1, occurredAt: dayAt(5), state: replayState.normal },
    ];
    const result = replayScores(columnsOf(events), defaultRulebook, 2, dayAt(10));
    // Five fit the cap of 50 (the held one takes room but no points), two are capped.
    expect([...result.scores]).toEqual([1040, 990]);
    expect(result).toMatchObject({ priced: 8, capped: 2, unpriced: 2 });
  });

  it("refuses input that is not grouped by subject or not sorted by time", () => {
    const event = (subject: number, day: number) => ({
      subject,
      rule: 0,
      occurredAt: dayAt(day),
      state: replayState.normal,
    });
    const raw = (events: ReplayEvent[]): ReplayColumns => ({
      length: events.length,
      subjectIndex: Int32Array.from(events, (item) => item.subject),
      ruleIndex: Int32Array.from(events, (item) => item.rule),
      occurredAt: Float64Array.from(events, (item) => item.occurredAt),
      state: Uint8Array.from(events, (item) => item.state),
    });
    expect(() => replayScores(raw([event(0, 2), event(0, 1)]), defaultRulebook, 1, 0)).toThrow(
      /not sorted by time/,
    );
    expect(() => replayScores(raw([event(1, 1), event(0, 2)]), defaultRulebook, 2, 0)).toThrow(
      /not grouped by subject/,
    );
    // A new subject may start earlier in time than the last one ended.
    expect(() =>
      replayScores(raw([event(0, 5), event(1, 1)]), defaultRulebook, 2, 0),
    ).not.toThrow();
  });

  it("equals pricing the time-sorted stream one event at a time (property)", () => {
    fc.assert(
      fc.property(replayCase, ({ awkward, subjectCount, events, at }) => {
        const rulebook = rulebooks[awkward ? 1 : 0] as Rulebook;
        const columns = columnsOf(events);
        const awarded = new Int32Array(events.length).fill(7);
        const replayed = replayScores(columns, rulebook, subjectCount, at, awarded);
        const expected = replayByPricing(events, rulebook, subjectCount, at);
        expect({ ...replayed, scores: [...replayed.scores] }).toEqual(expected);
        // Each event's awarded points add up to its subject's score.
        const sums = Array.from({ length: subjectCount }, () => rulebook.baseScore);
        awarded.forEach((points, index) => {
          const subject = columns.subjectIndex[index] as number;
          sums[subject] = (sums[subject] as number) + points;
        });
        expect(sums).toEqual(expected.scores);
      }),
      { numRuns: 300 },
    );
  });
});
