import { describe, expect, it } from "vitest";
import { validateEvent } from "../core/event.js";
import { payloadHash, payloadHashLength } from "./payload-hash.js";

function hashOf(input: Record<string, unknown>): string {
  const validated = validateEvent(input);
  if (!validated.ok) throw new Error(JSON.stringify(validated.outcome));
  return payloadHash(validated.event);
}

const event = {
  id: "e-1",
  subject: "c-1",
  type: "traffic.red_light",
  occurredAt: "2026-01-10T08:30:00Z",
  evidence: { description: "red for 3 s", reference: "TP-1" },
  attributes: { lane: 2, vehicle: "car" },
};

describe("payloadHash", () => {
  it("is a fixed-length base64url string", () => {
    expect(hashOf(event)).toMatch(new RegExp(`^[A-Za-z0-9_-]{${payloadHashLength}}$`));
  });

  it("ignores key order and time notation", () => {
    const reordered = {
      attributes: { vehicle: "car", lane: 2 },
      evidence: { reference: "TP-1", description: "red for 3 s" },
      occurredAt: "2026-01-10T09:30:00+01:00",
      type: "traffic.red_light",
      subject: "c-1",
      id: "e-1",
    };
    expect(hashOf(reordered)).toBe(hashOf(event));
  });

  it("tells apart reports that differ in any field", () => {
    const variants = [
      { ...event, subject: "c-2" },
      { ...event, occurredAt: "2026-01-10T08:30:01Z" },
      { ...event, evidence: { description: "red for 4 s", reference: "TP-1" } },
      { ...event, confidence: 0.9 },
      { ...event, attributes: { lane: 3, vehicle: "car" } },
    ];
    const hashes = new Set([event, ...variants].map(hashOf));
    expect(hashes.size).toBe(variants.length + 1);
  });
});
