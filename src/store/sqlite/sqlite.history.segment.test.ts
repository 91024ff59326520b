import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawEventsOf } from "../../test-support/history.js";
import { QueryDecoder, type QueryEvents } from "./sqlite.history.query.js";
import { allocateRaw, type RawEvents, sortRaw } from "./sqlite.history.raw.js";
import {
  decodeRaw,
  encodeSegment,
  openEntryIds,
  openSegment,
  subjectSpan,
} from "./sqlite.history.segment.js";

const day = 86_400_000;

const rawEvent = fc.record({
  subject: fc.integer({ min: 1, max: 9 }),
  occurredAt: fc.integer({ min: -10 * day, max: 400 * day }),
  /** Most entries take effect when they occurred; a report from slightly ahead, later. */
  effectiveDelay: fc.constantFrom(0, 0, 0, -180_000),
  expiresAfter: fc.constantFrom(90 * day, 365 * day, 1_825 * day),
  typeId: fc.integer({ min: 1, max: 4 }),
  points: fc.integer({ min: -200, max: 200 }),
  status: fc.integer({ min: 0, max: 5 }),
  initialStatus: fc.integer({ min: 0, max: 2 }),
  confidence: fc.option(fc.constantFrom(0.3, 0.9, 0.95), { freq: 3 }),
});

function rawOf(events: readonly (typeof rawEvent extends fc.Arbitrary<infer E> ? E : never)[]) {
  return sortRaw(rawEventsOf(events));
}

const columnsOf = (raw: RawEvents) => ({
  entryId: [...raw.entryId.subarray(0, raw.length)],
  subjectId: [...raw.subjectId.subarray(0, raw.length)],
  occurredAt: [...raw.occurredAt.subarray(0, raw.length)],
  effectiveAt: [...raw.effectiveAt.subarray(0, raw.length)],
  expiresAt: [...raw.expiresAt.subarray(0, raw.length)],
  typeId: [...raw.typeId.subarray(0, raw.length)],
  points: [...raw.points.subarray(0, raw.length)],
  status: [...raw.status.subarray(0, raw.length)],
  initialStatus: [...raw.initialStatus.subarray(0, raw.length)],
  confidence: [...raw.confidence.subarray(0, raw.length)],
});

/** Each event with its subject, walking the grouping. */
function eventsOf(events: QueryEvents) {
  return [...events.subjects].flatMap((subject, position) =>
    Array.from(
      { length: (events.offsets[position + 1] as number) - (events.offsets[position] as number) },
      (_, offset) => {
        const index = (events.offsets[position] as number) + offset;
        return {
          subject,
          typeIndex: events.typeIndex[index],
          occurredAt: events.occurredAt[index],
          standing: events.standing[index],
          livePoints: events.livePoints[index],
        };
      },
    ),
  );
}

const allSubjects = Int32Array.from({ length: 10 }, (_, index) => index);
const regions = Array.from(allSubjects, (subject) => (subject % 3 === 0 ? "north" : "south"));

describe("history segments", () => {
  it("give back every field of every entry, and subjects without entries (property)", () => {
    fc.assert(
      fc.property(fc.array(rawEvent, { maxLength: 60 }), (events) => {
        const raw = rawOf(events);
        const encoded = encodeSegment(raw, { ids: allSubjects, regions });
        const view = openSegment(encoded.columns);
        const ids = openEntryIds(encoded.entryIds, view.eventCount);
        expect(view.subjectCount).toBe(allSubjects.length);
        expect(Array.from(view.regionIndex, (index) => view.regions[index])).toEqual(regions);
        const decoded = decodeRaw(view, ids, { from: 0, to: view.subjectCount });
        expect(columnsOf(decoded)).toEqual(columnsOf(raw));
      }),
      { numRuns: 200 },
    );
  });

  it("read under a query as the same entries read from rows (property)", () => {
    const typeIndexOfId = Int32Array.of(-1, 0, 1, 2, 3);
    fc.assert(
      fc.property(
        fc.array(rawEvent, { maxLength: 60 }),
        fc.integer({ min: -20 * day, max: 800 * day }),
        fc.constantFrom(0.5, 0.9, 0.95),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (events, at, confidenceMin, first, width) => {
          const end = first + width;
          const raw = rawOf(events);
          const decoder = new QueryDecoder({ at, confidenceMin }, typeIndexOfId);
          const view = openSegment(encodeSegment(raw, { ids: allSubjects, regions }).columns);
          const fromSegment = decoder.fromSegment(view, subjectSpan(view, first, end));
          const fromRows = eventsOf(decoder.fromRaw(raw)).filter(
            (event) => event.subject >= first && event.subject < end,
          );
          expect(eventsOf(fromSegment)).toEqual(fromRows);
          expect([...fromSegment.subjects]).toEqual(
            [...allSubjects].filter((subject) => subject >= first && subject < end),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("switch to four-byte line codes past 65,536 distinct lines", () => {
    const count = 70_000;
    const raw = allocateRaw(count);
    for (let index = 0; index < count; index++) {
      raw.entryId[index] = index + 1;
      raw.subjectId[index] = 1;
      raw.occurredAt[index] = index;
      raw.effectiveAt[index] = index;
      raw.expiresAt[index] = index + day;
      raw.typeId[index] = 1;
      raw.points[index] = index - 35_000;
      raw.confidence[index] = Number.NaN;
    }
    raw.length = count;
    const encoded = encodeSegment(raw, { ids: Int32Array.of(1) });
    const view = openSegment(encoded.columns);
    expect(view.lineCodes).toBeInstanceOf(Uint32Array);
    const decoded = decodeRaw(view, openEntryIds(encoded.entryIds, count), { from: 0, to: 1 });
    let wrong = 0;
    for (let index = 0; index < count; index++) {
      if (decoded.points[index] !== raw.points[index]) wrong++;
      if (decoded.expiresAt[index] !== raw.expiresAt[index]) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it("are read from a BLOB at any place in memory, and refuse what is not one", () => {
    const raw = rawOf([
      {
        subject: 2,
        occurredAt: day,
        effectiveDelay: 0,
        expiresAfter: 90 * day,
        typeId: 1,
        points: -10,
        status: 0,
        initialStatus: 0,
        confidence: 0.95,
      },
    ]);
    const { columns } = encodeSegment(raw, { ids: Int32Array.of(2) });
    const shifted = new Uint8Array(columns.length + 1).subarray(1);
    shifted.set(columns);
    expect(openSegment(shifted).occurredAt[0]).toBe(day);
    expect(() => openSegment(columns.subarray(0, 10))).toThrow(/shorter/);
    expect(() => openSegment(Buffer.alloc(columns.length))).toThrow(/format/);
    expect(() => openSegment(Buffer.concat([columns, Buffer.alloc(8)]))).toThrow(/length/);
    expect(() => encodeSegment(raw, { ids: Int32Array.of(3) })).toThrow(/not listed/);
  });
});
