import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../test-support/ledger.js";
import { Auditor } from "./auditor.js";
import type { Report } from "./conduct.js";
import type { IngestAnswer } from "./driver.js";
import { simPartners } from "./partners.js";
import { simSources } from "./sources.js";

const rulebookText = readFileSync(`${repositoryRoot}rulebooks/default.yaml`, "utf8");
const ids = ["c-000001", "c-000002"];
const at = Date.parse("2026-05-01T00:00:00Z");

function auditor(): Auditor {
  return new Auditor({
    rulebookText,
    subjectIds: ids,
    indexOf: (id) => (ids.indexOf(id) >= 0 ? ids.indexOf(id) : undefined),
    regionOf: () => "harbour",
    sources: simSources,
    partners: simPartners,
    enrolledAt: at,
  });
}

const report = (seq: number, source: string, type: string): Report => ({
  seq,
  source,
  occurredAt: at + seq * 1_000,
  event: { id: `e${seq}`, subject: "c-000001", type },
});
const accepted = (entryId: number, points: number): IngestAnswer => ({
  kind: "accepted",
  entryId,
  points,
  status: "effective",
});
const duplicate = (entryId: number): IngestAnswer => ({ kind: "duplicate", entryId });

const volunteering = report(0, "civic-affairs-office", "civic.volunteering");
const heroic = report(1, "civic-affairs-office", "civic.heroic_act");
const donation = report(2, "blood-service", "civic.blood_donation");
const deliveries = [
  { source: "civic-affairs-office", reports: [volunteering, heroic] },
  { source: "blood-service", reports: [donation] },
];

describe("Auditor", () => {
  it("checks every answer: a price the model does not expect is a difference naming the subject", () => {
    const audit = auditor();
    audit.ingested("civic-affairs-office", [volunteering, heroic], at + 60_000, [
      accepted(1, 10),
      accepted(2, 29),
    ]);
    expect(audit.differences.count).toBe(1);
    expect(audit.differences.kept[0]).toMatchObject({ kind: "ingest", subjectId: "c-000001" });
    expect(audit.differences.kept[0]?.message).toMatch(/priced 29 \(effective\), the model 30/);
  });

  it("takes what the restart answers as duplicates for the crashed run's commits, a prefix", () => {
    const audit = auditor();
    const { committed, answers } = audit.ingestedThroughCrash(deliveries, at + 60_000, {
      beforeCrash: 1,
      answers: [duplicate(1), duplicate(2), accepted(3, 30)],
    });
    expect(committed).toBe(2);
    // The senders see what the crashed run stored as accepted, whenever the kill came.
    expect(answers).toEqual([accepted(1, 10), accepted(2, 30), accepted(3, 30)]);
    expect(audit.differences.count).toBe(0);
    expect(audit.ledger.scoreAt(0, at + 60_000)).toBe(1070);
  });

  it("notices a restart that stored again what the crashed run had committed", () => {
    const audit = auditor();
    audit.ingestedThroughCrash(deliveries, at + 60_000, {
      beforeCrash: 1,
      answers: [duplicate(1), accepted(2, 30), duplicate(3)],
    });
    expect(audit.differences.kept[0]?.message).toMatch(/answered accepted, the model duplicate/);
  });
});
