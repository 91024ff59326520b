import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agencySource,
  cameraSource,
  conductStream,
  dayAt,
  defaultRulebook,
  itemOf,
  MemoryLedger,
  makeEvent,
  partnerSource,
  streamSubjectIds,
} from "../test-support/core.js";
import { type BatchContext, type BatchItem, batchEventsMax, planBatch } from "./batch.js";
import type { ConductEvent } from "./event.js";
import { emptyOutcomeCounts, type Outcome, outcomeKinds } from "./outcome.js";
import type { SourceProfile } from "./source.js";
import { millisecondsPerMinute } from "./time.js";

const receivedAt = dayAt(100);
const subjectIds = new Map([
  ["citizen-1", 1],
  ["citizen-2", 2],
]);

function context(fields: Partial<BatchContext> = {}): BatchContext {
  return {
    source: agencySource,
    rulebook: defaultRulebook,
    rulebookVersion: 3,
    receivedAt,
    firstEntryId: 500,
    storedEvents: new Map(),
    subjectIds,
    storedAwards: () => [],
    ...fields,
  };
}

function event(id: string, fields: Partial<ConductEvent> = {}): BatchItem {
  return itemOf(makeEvent({ id, occurredAt: dayAt(99), ...fields }));
}

function kinds(outcomes: readonly Outcome[]): string[] {
  return outcomes.map((outcome) => outcome.kind);
}

describe("planBatch outcomes", () => {
  it("accepts a good event with the next entry id and its score change", () => {
    const plan = planBatch([event("a")], context());
    expect(plan.outcomes).toEqual([
      { kind: "accepted", entryId: 500, points: -10, status: "effective" },
    ]);
    expect(plan.accepted).toHaveLength(1);
    expect(plan.accepted[0]).toMatchObject({
      entryId: 500,
      subjectId: 1,
      rule: { type: "traffic.red_light" },
      priced: { points: -10, status: "effective", effectiveAt: dayAt(99), expiresAt: dayAt(464) },
    });
    expect([...plan.scoreDeltas]).toEqual([[1, -10]]);
  });

  it("answers a stored event with the same payload as a duplicate of its entry", () => {
    const item = event("a");
    const stored = new Map([["a", { payloadHash: item.payloadHash, entryId: 17 }]]);
    const plan = planBatch([item], context({ storedEvents: stored }));
    expect(plan.outcomes).toEqual([{ kind: "duplicate", entryId: 17 }]);
    expect(plan.accepted).toEqual([]);
    expect(plan.scoreDeltas.size).toBe(0);
  });

  it("refuses a stored id with a different payload", () => {
    const stored = new Map([["a", { payloadHash: event("a").payloadHash, entryId: 17 }]]);
    const plan = planBatch(
      [event("a", { subject: "citizen-2" })],
      context({ storedEvents: stored }),
    );
    expect(plan.outcomes).toEqual([
      {
        kind: "id_reused_with_different_payload",
        message: "event id 'a' was already used for a different report",
      },
    ]);
  });

  it("answers in-batch repeats: the same payload is a duplicate, another is refused", () => {
    const first = event("a");
    const plan = planBatch(
      [first, event("b"), first, event("a", { occurredAt: dayAt(98) })],
      context(),
    );
    expect(plan.outcomes).toEqual([
      { kind: "accepted", entryId: 500, points: -10, status: "effective" },
      { kind: "accepted", entryId: 501, points: -10, status: "effective" },
      { kind: "duplicate", entryId: 500 },
      expect.objectContaining({ kind: "id_reused_with_different_payload" }),
    ]);
    expect(plan.accepted.map((entry) => entry.entryId)).toEqual([500, 501]);
    expect(plan.scoreDeltas.get(1)).toBe(-20);
  });

  it("lets a refused event's id be used again: nothing was stored under it", () => {
    const plan = planBatch(
      [event("a", { subject: "nobody" }), event("a", { subject: "nobody" }), event("a")],
      context(),
    );
    expect(kinds(plan.outcomes)).toEqual(["unknown_subject", "unknown_subject", "accepted"]);
  });

  it("refuses an unknown type and an unknown subject", () => {
    const plan = planBatch(
      [event("a", { type: "traffic.speeding" }), event("b", { subject: "citizen-9" })],
      context(),
    );
    expect(plan.outcomes).toEqual([
      {
        kind: "unknown_event_type",
        message: "no rule in the current rulebook prices 'traffic.speeding'",
      },
      { kind: "unknown_subject", message: "no enrolled subject 'citizen-9'" },
    ]);
  });

  it.each<[string[], string, boolean]>([
    [["traffic.*"], "traffic.red_light", true],
    [["traffic.*"], "traffic.drunk_driving", true],
    [["traffic.*"], "public.littering", false],
    [["traffic.red_light"], "traffic.jaywalking", false],
    [["*"], "utilities.unpaid_bill", true],
    [["finance.*", "civic.volunteering"], "civic.volunteering", true],
    [["finance.*", "civic.volunteering"], "civic.heroic_act", false],
    [[], "traffic.red_light", false],
  ])("with allowed types %j, %s is authorised: %s", (allowedTypes, type, authorised) => {
    const source: SourceProfile = { ...agencySource, allowedTypes };
    const plan = planBatch([event("a", { type })], context({ source }));
    expect(kinds(plan.outcomes)).toEqual([
      authorised ? "accepted" : "source_not_authorised_for_type",
    ]);
  });

  it("names what the source may report when it refuses", () => {
    const plan = planBatch(
      [event("a", { type: "civic.heroic_act" })],
      context({ source: partnerSource }),
    );
    expect(plan.outcomes[0]).toEqual({
      kind: "source_not_authorised_for_type",
      message:
        "source 'grocer' may report commerce.healthy_purchase, finance.*, not 'civic.heroic_act'",
    });
  });

  it("refuses events more than 5 minutes ahead of the receiver's clock", () => {
    const ahead = (minutes: number, milliseconds = 0) =>
      event(`m${minutes}-${milliseconds}`, {
        occurredAt: receivedAt + minutes * millisecondsPerMinute + milliseconds,
      });
    const plan = planBatch([ahead(4), ahead(5), ahead(5, 1), ahead(60)], context());
    expect(kinds(plan.outcomes)).toEqual([
      "accepted",
      "accepted",
      "occurred_in_future",
      "occurred_in_future",
    ]);
    expect(plan.accepted.map((entry) => entry.priced.effectiveAt)).toEqual([
      receivedAt,
      receivedAt,
    ]);
    expect(plan.accepted[0]?.priced.expiresAt).toBe(
      receivedAt + 4 * millisecondsPerMinute + 365 * 86_400_000,
    );
    // Counted now: it takes effect at the receiver's clock, not in 4 minutes.
    expect(plan.scoreDeltas.get(1)).toBe(-20);
  });

  it("refuses a camera attribution without a confidence, and holds a weak one for review", () => {
    const plan = planBatch(
      [
        event("a", { confidence: undefined }),
        event("b", { confidence: 0.6 }),
        event("c", { confidence: 0.95 }),
      ],
      context({ source: cameraSource }),
    );
    expect(plan.outcomes).toEqual([
      {
        kind: "invalid_field",
        message: "confidence: a camera attribution must state its confidence",
      },
      { kind: "accepted", entryId: 500, points: -10, status: "pending_review" },
      { kind: "accepted", entryId: 501, points: -10, status: "effective" },
    ]);
    // The weak attribution moves no score until a reviewer confirms it.
    expect([...plan.scoreDeltas]).toEqual([[1, -10]]);
  });

  it("caps inside one batch and against stored awards, with no score change for a capped entry", () => {
    const purchase = (id: string, day: number) =>
      event(id, { type: "commerce.healthy_purchase", occurredAt: dayAt(day) });
    const stored = Array.from({ length: 8 }, (_, index) => ({
      occurredAt: dayAt(80 + index),
      points: 1,
    }));
    const plan = planBatch(
      [
        purchase("p1", 90),
        purchase("p2", 91),
        purchase("p3", 92),
        event("other", {
          subject: "citizen-2",
          type: "commerce.healthy_purchase",
          occurredAt: dayAt(92),
        }),
      ],
      context({
        storedAwards: (subjectId, type) =>
          subjectId === 1 && type === "commerce.healthy_purchase" ? stored : [],
      }),
    );
    expect(plan.outcomes).toEqual([
      { kind: "accepted", entryId: 500, points: 1, status: "effective" },
      { kind: "accepted", entryId: 501, points: 1, status: "effective" },
      { kind: "accepted", entryId: 502, points: 0, status: "capped" },
      { kind: "accepted", entryId: 503, points: 1, status: "effective" },
    ]);
    expect([...plan.scoreDeltas]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it("refuses a late report that has already expired: it would never count (charter item 6)", () => {
    const plan = planBatch(
      [
        event("old", { occurredAt: dayAt(100 - 400) }),
        event("last-day", { occurredAt: dayAt(100 - 365) + 1 }),
      ],
      context(),
    );
    expect(plan.outcomes).toEqual([
      {
        kind: "invalid_field",
        message: expect.stringMatching(
          /^occurredAt: .* \(365 days, charter item 6\): it would never count$/,
        ),
      },
      { kind: "accepted", entryId: 500, points: -10, status: "effective" },
    ]);
    expect(plan.accepted.map((entry) => entry.event.id)).toEqual(["last-day"]);
  });

  it("checks repeats first: a stored duplicate is a duplicate even if it would be refused now", () => {
    const item = event("a", { occurredAt: receivedAt + 3_600_000 });
    const stored = new Map([["a", { payloadHash: item.payloadHash, entryId: 9 }]]);
    expect(planBatch([item], context({ storedEvents: stored })).outcomes).toEqual([
      { kind: "duplicate", entryId: 9 },
    ]);
  });

  it("produces every outcome kind but the two decided before decoding", () => {
    const counts = emptyOutcomeCounts();
    const stored = new Map([
      ["dup", { payloadHash: event("dup").payloadHash, entryId: 1 }],
      ["reused", { payloadHash: "other", entryId: 2 }],
    ]);
    const plan = planBatch(
      [
        event("ok", { confidence: 0.95 }),
        event("dup"),
        event("reused"),
        event("type", { type: "public.spitting" }),
        event("subject", { subject: "nobody" }),
        event("auth", { type: "civic.heroic_act" }),
        event("future", { occurredAt: receivedAt + 6 * millisecondsPerMinute }),
        event("camera", { type: "traffic.jaywalking" }),
      ],
      context({
        storedEvents: stored,
        source: { ...cameraSource, allowedTypes: ["traffic.*", "public.*"] },
      }),
    );
    for (const outcome of plan.outcomes) counts[outcome.kind]++;
    // malformed_json and too_large are answered by the input paths before an event exists.
    expect(outcomeKinds.filter((kind) => counts[kind] === 0)).toEqual([
      "malformed_json",
      "too_large",
    ]);
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(8);
  });

  it("refuses to plan more than batchEventsMax events: a programmer error", () => {
    const items = Array.from({ length: batchEventsMax + 1 }, (_, index) => event(`e${index}`));
    expect(() => planBatch(items, context())).toThrow(/exceeds/);
    expect(planBatch(items.slice(0, batchEventsMax), context()).accepted).toHaveLength(
      batchEventsMax,
    );
  });

  it("answers an empty batch with nothing", () => {
    expect(planBatch([], context())).toEqual({
      outcomes: [],
      accepted: [],
      scoreDeltas: new Map(),
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: a stream priced in any batch sizes gives the same outcomes and entries as one batch,
// and the same stream fed again, in any order and batch sizes, changes nothing.

const propertyReceivedAt = dayAt(300) + 3_600_000;
const streamArbitrary = conductStream({ receivedAt: propertyReceivedAt, withRefusals: true });

const batchSizes = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 });
const sourceArbitrary = fc.constantFrom(agencySource, cameraSource, partnerSource);

/** Splits `items` into consecutive batches of the given sizes (cycled). */
function split<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0, turn = 0; start < items.length; turn++) {
    const size = sizes[turn % sizes.length] ?? 1;
    batches.push(items.slice(start, start + size));
    start += size;
  }
  return batches;
}

function ingestAll(ledger: MemoryLedger, items: readonly BatchItem[], sizes: readonly number[]) {
  const outcomes: Outcome[] = [];
  const scoreDeltas = new Map<number, number>();
  for (const batch of split(items, sizes)) {
    const plan = ledger.ingest(batch, propertyReceivedAt);
    outcomes.push(...plan.outcomes);
    for (const [subject, delta] of plan.scoreDeltas) {
      scoreDeltas.set(subject, (scoreDeltas.get(subject) ?? 0) + delta);
    }
  }
  return { outcomes, scoreDeltas };
}

function withoutZeros(deltas: ReadonlyMap<number, number>): [number, number][] {
  return [...deltas].filter(([, delta]) => delta !== 0).sort(([a], [b]) => a - b);
}

describe("planBatch properties", () => {
  it("gives the same outcomes, entries and score changes whatever the batch sizes", () => {
    fc.assert(
      fc.property(streamArbitrary, batchSizes, sourceArbitrary, (items, sizes, source) => {
        const whole = new MemoryLedger(defaultRulebook, streamSubjectIds, source);
        const wholeResult = ingestAll(whole, items, [items.length]);
        const split = new MemoryLedger(defaultRulebook, streamSubjectIds, source);
        const splitResult = ingestAll(split, items, sizes);
        expect(splitResult.outcomes).toEqual(wholeResult.outcomes);
        expect(split.entries).toEqual(whole.entries);
        expect(withoutZeros(splitResult.scoreDeltas)).toEqual(
          withoutZeros(wholeResult.scoreDeltas),
        );
        expect(wholeResult.outcomes).toHaveLength(items.length);
      }),
      { numRuns: 150 },
    );
  });

  it("answers the same stream fed again, in any order, with duplicates and no new entries", () => {
    fc.assert(
      fc.property(
        streamArbitrary,
        batchSizes,
        batchSizes,
        sourceArbitrary,
        fc.gen(),
        (items, firstSizes, againSizes, source, generate) => {
          const ledger = new MemoryLedger(defaultRulebook, streamSubjectIds, source);
          const first = ingestAll(ledger, items, firstSizes);
          const entriesBefore = structuredClone(ledger.entries);
          const again = generate(fc.shuffledSubarray, items, {
            minLength: items.length,
            maxLength: items.length,
          });
          const second = ingestAll(ledger, again, againSizes);
          expect(ledger.entries).toEqual(entriesBefore);
          expect(withoutZeros(second.scoreDeltas)).toEqual([]);
          second.outcomes.forEach((outcome, index) => {
            const item = again[index] as BatchItem;
            const stored = ledger.storedEvents.get(item.event.id);
            if (!stored) {
              // Never stored: refused the first time, and refused the same way again.
              expect(outcome.kind).not.toBe("accepted");
              expect(outcome.kind).not.toBe("duplicate");
            } else if (stored.payloadHash === item.payloadHash) {
              expect(outcome).toEqual({ kind: "duplicate", entryId: stored.entryId });
            } else {
              expect(outcome.kind).toBe("id_reused_with_different_payload");
            }
          });
          // A stream that was all taken comes back as nothing but duplicates.
          if (first.outcomes.every((outcome) => ["accepted", "duplicate"].includes(outcome.kind))) {
            expect(new Set(kinds(second.outcomes))).toEqual(new Set(["duplicate"]));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
