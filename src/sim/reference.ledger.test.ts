import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../test-support/ledger.js";
import { ReferenceAccess } from "./reference.access.js";
import { ReferenceLedger, type ReferenceSource } from "./reference.ledger.js";
import { readReferenceRulebook, referenceRating } from "./reference.rulebook.js";

const rulebook = readReferenceRulebook(
  readFileSync(`${repositoryRoot}rulebooks/default.yaml`, "utf8"),
);
const day = 86_400_000;
const start = Date.parse("2026-01-01T00:00:00Z");
const everything: ReferenceSource = { name: "all", kind: "agency", allowedTypes: ["*"] };
const camera: ReferenceSource = {
  name: "cameras",
  kind: "camera",
  allowedTypes: ["traffic.red_light"],
};

function ledgerWith(subjects = 2) {
  const ledger = new ReferenceLedger(rulebook, subjects);
  let key = 0;
  const report = (
    type: string,
    occurredAt: number,
    options: { subject?: number; confidence?: number; source?: ReferenceSource } = {},
  ) =>
    ledger.ingest(
      options.source ?? everything,
      {
        key: key++,
        subject: options.subject ?? 0,
        type,
        occurredAt,
        confidence: options.confidence,
      },
      occurredAt + day,
    );
  return { ledger, report };
}

describe("the auditor's reading of the rulebook", () => {
  it("takes the default figures from the YAML text", () => {
    expect(rulebook.baseScore).toBe(1000);
    expect(rulebook.cameraConfidenceMin).toBe(0.9);
    expect(rulebook.rules.get("finance.loan_repaid_on_time")).toMatchObject({
      points: 5,
      expiresAfterDays: 730,
      cap: { points: 20, windowDays: 365 },
    });
    expect(
      [1300, 1299, 1150, 1000, 999, 850, 600, 599].map((score) => referenceRating(score, rulebook)),
    ).toEqual(["AAA", "AA", "AA", "A", "B", "B", "C", "D"]);
  });
});

describe("ReferenceLedger", () => {
  it("counts an entry from its occurrence until its expiry", () => {
    const { ledger, report } = ledgerWith();
    report("online.gaming_excess", start);
    expect(ledger.scoreAt(0, start - 1)).toBe(1000);
    expect(ledger.scoreAt(0, start)).toBe(997);
    expect(ledger.scoreAt(0, start + 90 * day - 1)).toBe(997);
    expect(ledger.scoreAt(0, start + 90 * day)).toBe(1000);
  });

  it("caps awards in every window of the cap's length, wherever it starts", () => {
    const { ledger, report } = ledgerWith();
    // +10 per 30 days: ten purchases fit, the eleventh inside any 30-day window does not.
    for (let index = 0; index < 10; index++) {
      expect(report("commerce.healthy_purchase", start + index * day)).toMatchObject({ points: 1 });
    }
    expect(report("commerce.healthy_purchase", start + 29 * day)).toMatchObject({
      status: "capped",
      points: 0,
    });
    // Thirty days after the first purchase, the first one is outside every window with this one.
    expect(report("commerce.healthy_purchase", start + 30 * day)).toMatchObject({ points: 1 });
    // A late report in the middle is judged against the windows around it.
    expect(report("commerce.healthy_purchase", start + 15 * day)).toMatchObject({
      status: "capped",
    });
    expect(ledger.scoreAt(0, start + 31 * day)).toBe(1011);
  });

  it("holds low-confidence camera attributions for review; a reviewer settles them once", () => {
    const { ledger, report } = ledgerWith();
    const low = report("traffic.red_light", start, { confidence: 0.89, source: camera });
    const high = report("traffic.red_light", start, { confidence: 0.9, source: camera });
    expect(low).toMatchObject({ kind: "accepted", status: "pending_review" });
    expect(high).toMatchObject({ kind: "accepted", status: "effective" });
    expect(ledger.scoreAt(0, start + day)).toBe(990);
    const entry = (low as { entry: number }).entry;
    expect(ledger.review(entry, true)).toBe(true);
    expect(ledger.review(entry, false)).toBe(false);
    expect(ledger.scoreAt(0, start + day)).toBe(980);
    expect(ledger.review((high as { entry: number }).entry, false)).toBe(false);
  });

  it("suspends an appealed entry; upheld it counts again, reversed never", () => {
    const { ledger, report } = ledgerWith();
    const first = report("finance.payment_default", start) as { entry: number };
    const second = report("utilities.unpaid_bill", start) as { entry: number };
    expect(ledger.appeal(first.entry, 1, 1, start + day)).toBe(false);
    expect(ledger.appeal(first.entry, 0, 1, start + day)).toBe(true);
    expect(ledger.appeal(second.entry, 0, 2, start + day)).toBe(true);
    expect(ledger.scoreAt(0, start + day)).toBe(1000);
    expect(ledger.decideAppeal(1, "upheld", start + 2 * day)).toBe(true);
    expect(ledger.decideAppeal(2, "reversed", start + 2 * day)).toBe(true);
    expect(ledger.scoreAt(0, start + 3 * day)).toBe(950);
    expect(ledger.appeal(first.entry, 0, 3, start + 3 * day)).toBe(false);
    expect(ledger.decideAppeal(1, "reversed", start + 3 * day)).toBe(false);
  });

  it("decides for the subject an appeal still open at its deadline", () => {
    const { ledger, report } = ledgerWith();
    const entry = (report("traffic.drunk_driving", start) as { entry: number }).entry;
    ledger.appeal(entry, 0, 7, start);
    expect(ledger.settleOverdue(start + 30 * day - 1)).toBe(0);
    expect(ledger.decideAppeal(7, "upheld", start + 30 * day + 1)).toBe(false);
    expect(ledger.settleOverdue(start + 30 * day)).toBe(1);
    expect(ledger.status(entry)).toBe("reversed");
    expect(ledger.settledAtDeadline).toBe(1);
  });

  it("refuses duplicates, unknown types, sources without the right and unknown subjects", () => {
    const { ledger } = ledgerWith();
    const report = {
      key: 1,
      subject: 0,
      type: "traffic.red_light",
      occurredAt: start,
      confidence: undefined,
    };
    expect(ledger.ingest(everything, report, start)).toMatchObject({ kind: "accepted" });
    expect(ledger.ingest(everything, report, start)).toMatchObject({ kind: "duplicate" });
    expect(ledger.ingest(camera, report, start)).toMatchObject({ kind: "accepted" });
    expect(ledger.ingest(everything, { ...report, key: 2, type: "x.y" }, start).kind).toBe(
      "unknown_event_type",
    );
    expect(ledger.ingest(camera, { ...report, key: 3, type: "public.littering" }, start).kind).toBe(
      "source_not_authorised_for_type",
    );
    expect(ledger.ingest(everything, { ...report, key: 4, subject: -1 }, start).kind).toBe(
      "unknown_subject",
    );
  });
});

describe("ReferenceAccess", () => {
  const bank = { name: "bank", kind: "bank", purposes: ["credit"] };
  const employer = { name: "works", kind: "employer", purposes: ["employment"] };
  const police = { name: "police", kind: "authority", purposes: ["public_task"] };

  it("answers with a live consent only, and authorities without one", () => {
    const { ledger, report } = ledgerWith();
    report("finance.payment_default", start);
    const access = new ReferenceAccess(ledger, () => start);
    const score = { purpose: "credit", disclosure: "score", benefitId: undefined };
    expect(access.expect(bank, score, 0, start + day).allowed).toBe(false);
    access.granted(0, {
      id: 1,
      partner: "bank",
      purpose: "credit",
      grantedAt: start,
      until: start + 10 * day,
    });
    expect(access.expect(bank, score, 0, start + day)).toEqual({ allowed: true, score: 950 });
    expect(access.expect(bank, score, 0, start + 10 * day).allowed).toBe(false);
    expect(access.revoked(0, 1, start + 2 * day)).toBe(true);
    expect(access.revoked(0, 1, start + 3 * day)).toBe(false);
    expect(access.expect(bank, score, 0, start + 2 * day).allowed).toBe(false);
    const rating = { purpose: "public_task", disclosure: "rating", benefitId: undefined };
    expect(access.expect(police, rating, 0, start + day)).toEqual({ allowed: true, rating: "B" });
  });

  it("lets an employer rely only on a consent of the last 30 days", () => {
    const { ledger } = ledgerWith();
    const access = new ReferenceAccess(ledger, () => start);
    access.granted(0, {
      id: 1,
      partner: "works",
      purpose: "employment",
      grantedAt: start,
      until: start + 60 * day,
    });
    const question = { purpose: "employment", disclosure: "rating", benefitId: undefined };
    expect(access.expect(employer, question, 0, start + 30 * day).allowed).toBe(true);
    expect(access.expect(employer, question, 0, start + 31 * day).allowed).toBe(false);
  });

  it("tells eligibility from how long the rating has been held", () => {
    const { ledger, report } = ledgerWith();
    const access = new ReferenceAccess(ledger, () => start);
    access.granted(0, {
      id: 1,
      partner: "bank",
      purpose: "credit",
      grantedAt: start,
      until: start + 300 * day,
    });
    const travel = {
      purpose: "credit",
      disclosure: "eligibility",
      benefitId: "air_travel_discount",
    };
    // A held since enrollment: 89 days are not enough, 90 are.
    expect(access.expect(bank, travel, 0, start + 89 * day)).toEqual({
      allowed: true,
      eligible: false,
    });
    expect(access.expect(bank, travel, 0, start + 90 * day)).toEqual({
      allowed: true,
      eligible: true,
    });
    // A court judgment on day 100 takes the score to 900 (B): no longer eligible.
    report("finance.court_judgment_unpaid", start + 100 * day);
    expect(access.expect(bank, travel, 0, start + 101 * day)).toEqual({
      allowed: true,
      eligible: false,
    });
    // Reversed on appeal, it never counted: eligible again, the 90 days unbroken.
    expect(ledger.appeal(0, 0, 1, start + 102 * day)).toBe(true);
    expect(ledger.decideAppeal(1, "reversed", start + 103 * day)).toBe(true);
    expect(access.expect(bank, travel, 0, start + 103 * day)).toEqual({
      allowed: true,
      eligible: true,
    });
  });
});
