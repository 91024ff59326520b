import {
  type EncodedSegment,
  SegmentBuilder,
  type SegmentSubjects,
  statusByte,
} from "./sqlite.history.builder.js";
import { readLayout, type SegmentView, viewOf } from "./sqlite.history.layout.js";
import { allocateRaw, type RawEvents } from "./sqlite.history.raw.js";

export type { SegmentView } from "./sqlite.history.layout.js";

/**
 * A segment: the entries of some subjects as typed-array columns in one BLOB, sorted by
 * (subject, occurrence time, entry id), the order a replay reads. A what-if then reads a few
 * large BLOBs instead of millions of rows. Per event it keeps the occurrence time (8 bytes) and
 * a line code (2 bytes): a line is what many entries share (type, points, expiry delay, stored
 * and initial status), and a segment has few. The few events that differ from the common case
 * (an effective time other than the occurrence time, or a confidence) are listed apart with
 * those values: a reader decodes every event the same way, then corrects those few. Entry ids
 * sit in a BLOB of their own: a reader needs them only where later changes must be applied.
 *
 * The columns are little-endian typed arrays, each 8-byte aligned after a 64-byte header
 * (sqlite.history.layout.ts).
 */

export {
  type EncodedSegment,
  type SegmentSubjects,
  statusByte,
} from "./sqlite.history.builder.js";

/** Typed arrays are read in place: the format is little-endian, as every common platform is. */
export const segmentsReadable = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Encodes events sorted by (subject, time, id) (see `sortRaw`), or taken in that order at the
 * positions `order` lists (see `sortOrder`), of the listed subjects; a subject may have no
 * events, an event's subject must be listed.
 */
export function encodeSegment(
  events: RawEvents,
  subjects: SegmentSubjects,
  order?: ArrayLike<number>,
): EncodedSegment {
  const builder = new SegmentBuilder(events.length);
  for (let event = 0; event < events.length; event++) {
    builder.addRaw(events, order ? (order[event] as number) : event);
  }
  return builder.finish(subjects);
}

/** The view of a segment's columns; the buffer is copied once if it is not 8-byte aligned. */
export function openSegment(blob: Uint8Array): SegmentView {
  const columns = blob.byteOffset % 8 === 0 ? blob : Uint8Array.from(blob);
  const layout = readLayout(columns);
  const json = Buffer.from(
    columns.buffer,
    columns.byteOffset + layout.regions,
    layout.regionsBytes,
  );
  return viewOf(columns, layout, JSON.parse(json.toString("utf8")) as string[]);
}

/** The entry ids blob as a column (copied once if not 8-byte aligned). */
export function openEntryIds(blob: Uint8Array, eventCount: number): Float64Array {
  const bytes = blob.byteOffset % 8 === 0 ? blob : Uint8Array.from(blob);
  if (bytes.length !== eventCount * 8) throw new Error("a history segment's ids do not fit it");
  return new Float64Array(bytes.buffer, bytes.byteOffset, eventCount);
}

/** Positions [from, to) of the segment's subjects with ids in [firstSubject, endSubject). */
export function subjectSpan(
  view: SegmentView,
  firstSubject: number,
  endSubject: number,
): { from: number; to: number } {
  return {
    from: lowerBound(view.subjectIds, firstSubject),
    to: lowerBound(view.subjectIds, endSubject),
  };
}

export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The events of subjects at positions [from, to), every field, as raw columns. */
export function decodeRaw(
  view: SegmentView,
  entryIds: Float64Array,
  span: Readonly<{ from: number; to: number }>,
): RawEvents {
  const first = view.offsets[span.from] as number;
  const end = view.offsets[span.to] as number;
  const raw = allocateRaw(end - first);
  let extra = lowerBound(view.extraEvents, first);
  let subject = span.from;
  for (let event = first; event < end; event++) {
    while ((view.offsets[subject + 1] as number) <= event) subject++;
    const at = event - first;
    const line = view.lineCodes[event] as number;
    const byte = view.lineStatus[line] as number;
    const occurredAt = view.occurredAt[event] as number;
    const differs = view.extraEvents[extra] === event;
    raw.entryId[at] = entryIds[event] as number;
    raw.subjectId[at] = view.subjectIds[subject] as number;
    raw.occurredAt[at] = occurredAt;
    raw.effectiveAt[at] = differs ? (view.extraEffectiveAt[extra] as number) : occurredAt;
    raw.confidence[at] = differs ? (view.extraConfidence[extra] as number) : Number.NaN;
    if (differs) extra++;
    raw.expiresAt[at] = occurredAt + (view.lineExpiresAfter[line] as number);
    raw.typeId[at] = view.lineTypeId[line] as number;
    raw.points[at] = view.linePoints[line] as number;
    raw.status[at] = byte & statusByte.statusMask;
    raw.initialStatus[at] = (byte >> statusByte.initialShift) & statusByte.initialMask;
  }
  raw.length = end - first;
  return raw;
}
