import { describe, expect, it } from "vitest";
import {
  dayAt,
  defaultRulebook,
  designRules,
  epoch,
  makeEvent,
  ruleOf,
} from "../test-support/core.js";
import type { Award } from "./cap.js";
import { type PricedEntry, priceEvent } from "./price.js";
import { millisecondsPerMinute } from "./time.js";

const confidenceMin = defaultRulebook.cameraConfidenceMin;

function price(
  type: string,
  occurredAt: number,
  awards: readonly Award[] = [],
  confidence?: number,
) {
  return priceEvent({
    event: makeEvent({ type, occurredAt, confidence }),
    rule: ruleOf(defaultRulebook, type),
    confidenceMin,
    receivedAt: occurredAt + millisecondsPerMinute,
    awards,
  });
}

/** Prices events of one type in order, each seeing the awards of the ones before. */
function priceSeries(type: string, times: readonly number[]): PricedEntry[] {
  const awards: Award[] = [];
  return times.map((occurredAt) => {
    const priced = price(type, occurredAt, awards);
    if (priced.points !== 0) awards.push({ occurredAt, points: priced.points });
    return priced;
  });
}

describe("priceEvent over every rule of the default rulebook", () => {
  const occurredAt = Date.UTC(2026, 2, 14, 9, 26, 53, 589);

  it.each(designRules)(
    "prices %s (%s) at %i points for %i days",
    (type, category, points, expiry) => {
      const rule = ruleOf(defaultRulebook, type);
      const priced = price(type, occurredAt);
      expect(rule.category).toBe(category);
      // Expiry computed independently, on the calendar: N days later at the same UTC time.
      const expected = new Date(occurredAt);
      expected.setUTCDate(expected.getUTCDate() + expiry);
      expect(priced).toEqual({
        points,
        status: "effective",
        effectiveAt: occurredAt,
        expiresAt: expected.getTime(),
      });
    },
  );
});

describe("caps of the default rulebook", () => {
  // type, points per event, awards a window holds, window in days
  const capped = [
    ["finance.loan_repaid_on_time", 5, 4, 365],
    ["commerce.healthy_purchase", 1, 10, 30],
    ["online.gaming_excess", -3, 10, 30],
    ["civic.volunteering", 10, 5, 30],
  ] as const;

  it("are exactly the four capped rules of DESIGN section 4", () => {
    expect(defaultRulebook.rules.filter((rule) => rule.cap).map((rule) => rule.type)).toEqual(
      capped.map(([type]) => type),
    );
  });

  it.each(capped)(
    "%s: %i points until %i awards in %i days, then capped at 0",
    (type, points, awardsMax, windowDays) => {
      const times = Array.from({ length: awardsMax + 1 }, (_, index) => dayAt(index));
      const priced = priceSeries(type, times);
      for (const entry of priced.slice(0, awardsMax)) {
        expect(entry).toMatchObject({ points, status: "effective" });
      }
      const over = priced.at(-1);
      expect(over).toMatchObject({ points: 0, status: "capped" });
      // A capped entry still records when it would have expired: it is shown, and expires, too.
      expect(over?.expiresAt).toBe(
        dayAt(awardsMax) + ruleOf(defaultRulebook, type).expiresAfterMilliseconds,
      );

      const awards = priced
        .slice(0, awardsMax)
        .map((entry, index) => ({ occurredAt: times[index] as number, points: entry.points }));
      // One millisecond before the first award leaves the window, there is still no room ...
      expect(price(type, dayAt(windowDays) - 1, awards)).toMatchObject({
        status: "capped",
        points: 0,
      });
      // ... and a full window after the first award there is room for one again.
      expect(price(type, dayAt(windowDays), awards)).toMatchObject({ status: "effective", points });
    },
  );

  it("caps the 11th healthy purchase within 30 days, and fits one 30 days after the first", () => {
    const times = [
      ...Array.from({ length: 11 }, (_, index) => epoch + index * 3_600_000),
      dayAt(30),
    ];
    const priced = priceSeries("commerce.healthy_purchase", times);
    expect(priced.map((entry) => entry.status)).toEqual([
      ...Array(10).fill("effective"),
      "capped",
      "effective",
    ]);
    expect(priced.map((entry) => entry.points)).toEqual([...Array(10).fill(1), 0, 1]);
  });

  it("caps deductions too: the 11th excess gaming report in 30 days takes no further points", () => {
    const priced = priceSeries(
      "online.gaming_excess",
      Array.from({ length: 12 }, (_, index) => dayAt(index)),
    );
    expect(priced.reduce((sum, entry) => sum + entry.points, 0)).toBe(-30);
    expect(priced.slice(10).map((entry) => entry.status)).toEqual(["capped", "capped"]);
  });

  it("caps by occurrence time, so a late report inside a full window is capped", () => {
    const awards = Array.from({ length: 10 }, (_, index) => ({
      occurredAt: dayAt(10 + index),
      points: 1,
    }));
    expect(price("commerce.healthy_purchase", dayAt(5), awards).status).toBe("capped");
    expect(price("commerce.healthy_purchase", dayAt(-30), awards).status).toBe("effective");
  });

  it("ignores awards for uncapped rules", () => {
    const awards = Array.from({ length: 100 }, () => ({ occurredAt: epoch, points: -10 }));
    expect(price("traffic.red_light", epoch, awards)).toMatchObject({
      points: -10,
      status: "effective",
    });
  });
});

describe("priceEvent's review and timing", () => {
  it.each([
    [undefined, "effective"],
    [1, "effective"],
    [0.9, "effective"],
    [0.8999, "pending_review"],
    [0, "pending_review"],
  ] as const)("confidence %s gives %s with the rule's points", (confidence, status) => {
    expect(price("traffic.red_light", epoch, [], confidence)).toMatchObject({
      points: -10,
      status,
    });
  });

  it("lets the cap win over review: a capped attribution takes no points", () => {
    const awards = Array.from({ length: 10 }, () => ({ occurredAt: epoch, points: 1 }));
    expect(price("commerce.healthy_purchase", epoch, awards, 0.5)).toMatchObject({
      status: "capped",
      points: 0,
    });
  });

  it("starts a report from slightly ahead at the receiver's clock, but expires it by occurrence", () => {
    const rule = ruleOf(defaultRulebook, "traffic.red_light");
    const occurredAt = epoch + 4 * millisecondsPerMinute;
    const priced = priceEvent({
      event: makeEvent({ occurredAt }),
      rule,
      confidenceMin,
      receivedAt: epoch,
      awards: [],
    });
    expect(priced.effectiveAt).toBe(epoch);
    expect(priced.expiresAt).toBe(occurredAt + rule.expiresAfterMilliseconds);
  });

  it("starts a late report at its occurrence time", () => {
    const priced = priceEvent({
      event: makeEvent({ occurredAt: dayAt(-100) }),
      rule: ruleOf(defaultRulebook, "traffic.red_light"),
      confidenceMin,
      receivedAt: epoch,
      awards: [],
    });
    expect(priced).toMatchObject({ effectiveAt: dayAt(-100), expiresAt: dayAt(265) });
  });
});
