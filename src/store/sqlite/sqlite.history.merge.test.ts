import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawEventsOf } from "../../test-support/history.js";
import { SegmentBuilder } from "./sqlite.history.builder.js";
import { type EventSource, RawSource, SegmentSource, SourceMerge } from "./sqlite.history.merge.js";
import { filterRaw, sortOrder, sortRaw } from "./sqlite.history.raw.js";
import { encodeSegment, openEntryIds, openSegment } from "./sqlite.history.segment.js";

const day = 86_400_000;

const rawEvent = fc.record({
  subject: fc.integer({ min: 1, max: 9 }),
  occurredAt: fc.integer({ min: -10 * day, max: 400 * day }),
  effectiveDelay: fc.constantFrom(0, 0, 0, -180_000),
  expiresAfter: fc.constantFrom(90 * day, 365 * day),
  typeId: fc.integer({ min: 1, max: 3 }),
  points: fc.constantFrom(-50, -10, 5),
  status: fc.integer({ min: 0, max: 5 }),
  initialStatus: fc.integer({ min: 0, max: 2 }),
  confidence: fc.option(fc.constantFrom(0.3, 0.9), { freq: 3 }),
  /** Which input of the merge holds the event: a segment (0 to 2) or raw events (3). */
  part: fc.integer({ min: 0, max: 3 }),
  dropped: fc.boolean(),
});

type Event = typeof rawEvent extends fc.Arbitrary<infer E> ? E : never;

const subjects = Int32Array.from({ length: 10 }, (_, index) => index);
const regions = Array.from(subjects, (subject) => `r${subject % 3}`);

describe("merging history segments", () => {
  it("builds the segment that encoding the merged, filtered events gives (property)", () => {
    fc.assert(
      fc.property(fc.array(rawEvent, { maxLength: 80 }), (events) => {
        const raw = rawEventsOf(events);
        const dropped = new Map(
          events.flatMap((event, index) => (event.dropped ? [[index + 1, [event.subject]]] : [])),
        );
        const partOf = (part: number) =>
          sortRaw(filterRaw(raw, (index) => events[index]?.part === part));
        const sources: EventSource[] = [0, 1, 2].map((part) => {
          const encoded = encodeSegment(partOf(part), { ids: subjects, regions });
          const view = openSegment(encoded.columns);
          const entryIds = openEntryIds(encoded.entryIds, view.eventCount);
          return new SegmentSource(view, entryIds, { from: 1, to: 9 }, dropped);
        });
        const rawPart = partOf(3);
        sources.push(new RawSource(rawPart));
        const merge = new SourceMerge(sources);
        const kept = filterRaw(raw, (index) => {
          const event = events[index] as Event;
          const inSpan = event.subject >= 1 && event.subject < 9;
          return event.part === 3 || (inSpan && !event.dropped);
        });
        expect(merge.remaining).toBe(kept.length);

        const builder = new SegmentBuilder(0);
        merge.moveThrough(4, builder);
        expect(merge.remaining).toBe(
          [...kept.subjectId.subarray(0, kept.length)].filter((subject) => subject > 4).length,
        );
        merge.moveAll(builder);
        const built = builder.finish({ ids: subjects, regions });
        const expected = encodeSegment(sortRaw(kept), { ids: subjects, regions });
        expect(built.events).toBe(expected.events);
        expect(Buffer.compare(built.columns, expected.columns)).toBe(0);
        expect(Buffer.compare(built.entryIds, expected.entryIds)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("encodes events read through their sort order as their sorted copy (property)", () => {
    fc.assert(
      fc.property(fc.array(rawEvent, { maxLength: 80 }), (events) => {
        const raw = rawEventsOf(events);
        const throughOrder = encodeSegment(raw, { ids: subjects }, sortOrder(raw));
        const sorted = encodeSegment(sortRaw(raw), { ids: subjects });
        expect(Buffer.compare(throughOrder.columns, sorted.columns)).toBe(0);
        expect(Buffer.compare(throughOrder.entryIds, sorted.entryIds)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses an event of a subject not listed", () => {
    const builder = new SegmentBuilder(1);
    builder.add(3, 1, day, day, Number.NaN, builder.line(1, -10, 90 * day, 0));
    expect(() => builder.finish({ ids: Int32Array.of(2, 4) })).toThrow(/not listed/);
  });
});
