import { describe, expect, it } from "vitest";
import { formatInstant } from "../core/time.js";
import { agencySource, dayAt, defaultRulebook } from "../test-support/core.js";
import { decodeEventMessage, messageEventsMax } from "./event.message.js";
import {
  decideAtGateway,
  type GatewayContext,
  type GatewayRefusal,
  publicationsOf,
  type RoutedEvent,
} from "./gateway.outcome.js";
import { partitionOf, pipelineTopology } from "./pipeline.topology.js";
import { accountBatch } from "./worker.report.js";

const context: GatewayContext = {
  source: { ...agencySource, allowedTypes: ["traffic.*"] },
  rulebook: defaultRulebook,
  receivedAt: dayAt(100),
  topology: pipelineTopology("CIVIC_EVENTS", 4),
};

function event(id: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    subject: `c-${id}`,
    type: "traffic.red_light",
    occurredAt: formatInstant(dayAt(99)),
    evidence: { description: "Signal red" },
    ...fields,
  };
}

describe("the gateway's decisions", () => {
  it("refuses what needs no ledger, in the ledger's order, and routes the rest by subject", () => {
    const future = formatInstant(dayAt(101));
    const kinds = [
      event("1", { evidence: undefined }),
      event("2", { occurredAt: future, type: "no.such_type" }),
      event("3", { type: "no.such_type" }),
      event("4", { type: "public.littering" }),
    ].map((input) => (decideAtGateway(input, context) as GatewayRefusal).kind);
    expect(kinds).toEqual([
      "invalid_field",
      "occurred_in_future",
      "unknown_event_type",
      "source_not_authorised_for_type",
    ]);
    const routed = decideAtGateway(event("5"), context) as RoutedEvent;
    expect(routed.partition).toBe(partitionOf("c-5", 4));
    expect(routed.key.eventId).toBe("5");
  });

  it("puts a request's events into one message per partition, in request order", () => {
    const inputs = Array.from({ length: 40 }, (_, index) => event(String(index % 10)));
    const decisions = inputs.map((input) => decideAtGateway(input, context));
    const publications = publicationsOf(decisions, context);
    expect(publications.length).toBe(new Set(publications.map((each) => each.partition)).size);
    for (const publication of publications) {
      const decoded = decodeEventMessage(publication.payload);
      if (decoded.kind !== "events") throw new Error("unreadable");
      expect(decoded.events.map((each) => each.eventId)).toEqual(
        publication.indexes.map((index) => (inputs[index] as { id: string }).id),
      );
      expect([...publication.indexes].sort((a, b) => a - b)).toEqual(publication.indexes);
    }
    const again = publicationsOf(decisions, context).map((each) => each.messageId);
    expect(again).toEqual(publications.map((each) => each.messageId));
  });

  it("splits a partition's events over messages of at most 1,000 events and 512 KiB", () => {
    const one = pipelineTopology("CIVIC_EVENTS", 1);
    const many = Array.from({ length: 2_500 }, (_, index) => event(`e${index}`));
    const byCount = publicationsOf(
      many.map((input) => decideAtGateway(input, { ...context, topology: one })),
      { ...context, topology: one },
    );
    expect(byCount.map((each) => each.indexes.length)).toEqual([messageEventsMax, 1_000, 500]);
    const large = Array.from({ length: 300 }, (_, index) =>
      event(`l${index}`, {
        evidence: { description: "x".repeat(1_000), url: `https://e.org/${"y".repeat(1_900)}` },
      }),
    );
    const bySize = publicationsOf(
      large.map((input) => decideAtGateway(input, { ...context, topology: one })),
      { ...context, topology: one },
    );
    expect(bySize.length).toBeGreaterThan(1);
    for (const publication of bySize) {
      expect(publication.payload.length).toBeLessThanOrEqual(512 * 1024);
    }
  });
});

describe("a worker's account of a batch", () => {
  it("counts outcomes, reports refusals with their place, and unreadable messages", () => {
    const account = accountBatch(
      3,
      [
        { sequence: 10, events: 2 },
        { sequence: 11, events: 1 },
        { sequence: 12, events: 4 },
      ],
      [
        {
          kind: "decided",
          source: "police",
          outcomes: [
            {
              eventId: "a",
              outcome: { kind: "accepted", entryId: 1, points: -10, status: "effective" },
            },
            {
              eventId: "b",
              outcome: { kind: "unknown_subject", message: "no enrolled subject 'x'" },
            },
          ],
        },
        { kind: "unreadable", reason: "not a JSON object" },
        { kind: "unknown_source", source: "ghost" },
      ],
    );
    expect(account.report).toMatchObject({
      partition: 3,
      messages: 3,
      events: 7,
      firstSequence: 10,
      lastSequence: 12,
      unreadable: 1,
      unknownSource: 4,
    });
    expect(account.report.counts.accepted).toBe(1);
    expect(account.refusals).toEqual([
      {
        partition: 3,
        sequence: 10,
        index: 1,
        source: "police",
        eventId: "b",
        outcome: "unknown_subject",
        message: "no enrolled subject 'x'",
      },
    ]);
    expect(account.problems.join("\n")).toMatch(/message 11 cannot be read.*\n.*source 'ghost'/);
  });
});
