import { describe, expect, it } from "vitest";
import { emptyOutcomeCounts } from "../core/outcome.js";
import { renderChart } from "./chart.svg.js";
import type { SimulationReport } from "./report.js";

const counts = (A: number, B: number) => ({ AAA: 0, AA: 1, A, B, C: 0, D: 0 });

const report: SimulationReport = {
  seed: 3,
  mode: "in-process",
  subjects: 20,
  days: 10,
  regions: ["harbour", "old <town>"],
  startAt: "2026-01-01T00:00:00.000Z",
  endAt: "2026-01-11T00:00:00.000Z",
  faults: false,
  falseMatchRate: 0.05,
  seconds: 1,
  reportsPerSecond: 10,
  ratingsOverTime: [
    {
      day: -1,
      at: "2026-01-01T00:00:00.000Z",
      byRegion: { harbour: counts(10, 0), "old <town>": counts(9, 0) },
    },
    {
      day: 10,
      at: "2026-01-11T00:00:00.000Z",
      byRegion: { harbour: counts(6, 4), "old <town>": counts(2, 7) },
    },
  ],
  finalRatings: counts(8, 11),
  eventsByType: [],
  outcomes: emptyOutcomeCounts(),
  delivery: { reports: 0, late: 0, duplicates: 0, reordered: 0 },
  wronglyAttributed: {
    recorded: 4,
    caughtAtReview: 2,
    reversedOnAppeal: 1,
    stillCounting: 1,
    expired: 0,
    waitingForReview: 0,
    underAppeal: 0,
    subjectsInCOrDBecauseOfThem: 0,
  },
  reviews: { confirmed: 0, rejected: 0, refused: 0, waitingAtEnd: 0 },
  appeals: {
    opened: 0,
    refused: 0,
    upheld: 0,
    reversed: 0,
    refusedDecisions: 0,
    decidedAtDeadline: 0,
    openAtEnd: 0,
  },
  consents: { granted: 0, refused: 0, revoked: 0 },
  inquiries: { allowed: 0, refused: 0, byAuthority: 0 },
  crash: undefined,
  audit: {
    ok: true,
    subjectsChecked: 20,
    entriesChecked: 0,
    answersChecked: 0,
    differenceCount: 0,
    differences: [],
    firstDifferingSubject: undefined,
  },
};

describe("renderChart", () => {
  it("draws a stacked panel per region and one for the city, escaping names", () => {
    const svg = renderChart(report);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    expect(svg).toContain("old &lt;town&gt;");
    expect(svg).not.toContain("old <town>");
    expect(svg).toContain("whole city");
    // Six ratings stacked in each of three panels.
    expect(svg.match(/<polygon /g)).toHaveLength(18);
    expect(svg).toContain("caught at review: 2");
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
