import { describe, expect, it } from "vitest";
import { days } from "../core/time.js";
import type { EntryRecord, Subject } from "../store/store.js";
import { defaultRulebook } from "../test-support/core.js";
import { buildScoreView } from "./score.view.js";

const enrolledAt = Date.parse("2026-01-01T00:00:00Z");
const subject: Subject = { internalId: 1, id: "c-001", region: "north", enrolledAt };

function entry(
  fields: Partial<EntryRecord> & Pick<EntryRecord, "id" | "points" | "effectiveAt" | "expiresAt">,
): EntryRecord {
  return {
    subjectId: "c-001",
    subjectInternalId: 1,
    source: "police",
    sourceKind: "agency",
    eventId: `e-${fields.id}`,
    type: "traffic.drunk_driving",
    category: "traffic",
    initialStatus: "effective",
    status: "effective",
    occurredAt: fields.effectiveAt,
    recordedAt: fields.effectiveAt,
    rulebookVersion: 1,
    evidence: { description: "report" },
    confidence: undefined,
    region: undefined,
    attributes: undefined,
    ...fields,
  };
}

const entries = [
  entry({
    id: 1,
    points: -100,
    effectiveAt: enrolledAt + days(50),
    expiresAt: enrolledAt + days(80),
  }),
  entry({
    id: 2,
    points: -10,
    status: "pending_review",
    effectiveAt: enrolledAt + days(10),
    expiresAt: enrolledAt + days(400),
  }),
  entry({
    id: 3,
    points: 0,
    status: "capped",
    effectiveAt: enrolledAt + days(5),
    expiresAt: enrolledAt + days(20),
  }),
  entry({
    id: 4,
    points: -5,
    effectiveAt: enrolledAt + days(300),
    expiresAt: enrolledAt + days(600),
  }),
];

function view(atDays: number) {
  return buildScoreView({
    subject,
    entries,
    rulebook: defaultRulebook,
    version: 1,
    at: enrolledAt + days(atDays),
  });
}

describe("buildScoreView", () => {
  it("shows progress towards a benefit while the rating is held", () => {
    const at42 = view(42);
    expect(at42.score).toBe(1000);
    expect(at42.rating).toBe("A");
    const air = at42.benefits.find((benefit) => benefit.benefitId === "air_travel_discount");
    expect(air).toMatchObject({
      heldDays: 42,
      requiredDays: 90,
      eligible: false,
      heldSince: enrolledAt,
    });
    expect(
      at42.benefits.find((benefit) => benefit.benefitId === "deposit_free_rental")?.eligible,
    ).toBe(true);
  });

  it("breaks the holding period when the rating drops, and restarts it when it returns", () => {
    const at60 = view(60);
    expect(at60.score).toBe(900);
    expect(at60.rating).toBe("B");
    expect(at60.benefits.every((benefit) => !benefit.eligible)).toBe(true);
    expect(at60.ratingHistory.map((point) => point.rating)).toEqual(["A", "B"]);
    expect(at60.summary.nextExpiry).toEqual({
      at: enrolledAt + days(80),
      entryId: 1,
      points: -100,
    });

    const at200 = view(200);
    expect(at200.rating).toBe("A");
    expect(at200.ratingHistory.map((point) => point.rating)).toEqual(["A", "B", "A"]);
    expect(
      at200.benefits.find((benefit) => benefit.benefitId === "air_travel_discount"),
    ).toMatchObject({
      heldDays: 120,
      eligible: true,
    });
  });

  it("lists the entries that took effect by then with the status shown at the time", () => {
    const at60 = view(60);
    expect(
      at60.entries.map(({ entry: line, status, counts }) => [line.id, status, counts]),
    ).toEqual([
      [1, "effective", true],
      [2, "pending_review", false],
      [3, "expired", false],
    ]);
    expect(view(100).entries.find(({ entry: line }) => line.id === 1)?.status).toBe("expired");
    expect(at60.summary).toMatchObject({
      pointsGained: 0,
      pointsLost: 100,
      entriesCounting: 1,
      entriesByStatus: { effective: 1, pending_review: 1, expired: 1 },
    });
  });
});
