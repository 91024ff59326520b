import { allocateSegment, readLayout, type SegmentView, viewOf } from "./sqlite.history.layout.js";
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

/** A line's status byte: the stored status and the initial status (indexes in `storedStatuses`). */
export const statusByte = { statusMask: 7, initialShift: 3, initialMask: 3 } as const;

const lineCodes16Max = 65_536;
const regionsMax = 65_536;

/** Typed arrays are read in place: the format is little-endian, as every common platform is. */
export const segmentsReadable = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export type SegmentSubjects = Readonly<{
  ids: Int32Array;
  /** Each subject's region (base segments); omitted for recent segments. */
  regions?: readonly string[];
}>;

export type EncodedSegment = Readonly<{ columns: Buffer; entryIds: Buffer; events: number }>;

/**
 * Encodes events sorted by (subject, time, id) (see `sortRaw`) of the listed subjects; a subject
 * may have no events, an event's subject must be listed.
 */
export function encodeSegment(events: RawEvents, subjects: SegmentSubjects): EncodedSegment {
  const subjectCount = subjects.ids.length;
  const eventCount = events.length;
  const lines = new LineDictionary();
  const lineCodes = new Uint32Array(eventCount);
  const extraEvents: number[] = [];
  const extraEffectiveAt: number[] = [];
  const extraConfidence: number[] = [];
  const offsets = new Int32Array(subjectCount + 1);
  let subject = 0;
  for (let event = 0; event < eventCount; event++) {
    const subjectId = events.subjectId[event] as number;
    while (subject < subjectCount && (subjects.ids[subject] as number) < subjectId) {
      subject++;
      offsets[subject] = event;
    }
    if (subjects.ids[subject] !== subjectId) {
      throw new Error(`a segment event names subject ${subjectId}, not listed or not sorted`);
    }
    const occurredAt = events.occurredAt[event] as number;
    const effectiveAt = events.effectiveAt[event] as number;
    const confidence = events.confidence[event] as number;
    lineCodes[event] = lines.code(
      events.typeId[event] as number,
      events.points[event] as number,
      (events.expiresAt[event] as number) - occurredAt,
      (events.status[event] as number) |
        ((events.initialStatus[event] as number) << statusByte.initialShift),
    );
    if (effectiveAt !== occurredAt || !Number.isNaN(confidence)) {
      extraEvents.push(event);
      extraEffectiveAt.push(effectiveAt);
      extraConfidence.push(confidence);
    }
  }
  while (subject < subjectCount) {
    subject++;
    offsets[subject] = eventCount;
  }
  const regions = regionColumns(subjects);
  const { columns, layout } = allocateSegment({
    subjectCount,
    eventCount,
    extraCount: extraEvents.length,
    lineCount: lines.count,
    lineCodeBytes: lines.count <= lineCodes16Max ? 2 : 4,
    regionsBytes: regions.json.length,
  });
  const view = viewOf(columns, layout, []);
  view.occurredAt.set(events.occurredAt.subarray(0, eventCount));
  view.extraEvents.set(extraEvents);
  view.extraEffectiveAt.set(extraEffectiveAt);
  view.extraConfidence.set(extraConfidence);
  view.subjectIds.set(subjects.ids);
  view.offsets.set(offsets);
  view.regionIndex.set(regions.index);
  view.lineCodes.set(lineCodes);
  lines.write(view);
  regions.json.copy(columns, layout.regions);
  const entryIds = Buffer.from(events.entryId.slice(0, eventCount).buffer);
  return { columns, entryIds, events: eventCount };
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

function regionColumns(subjects: SegmentSubjects): { index: Uint16Array; json: Buffer } {
  const index = new Uint16Array(subjects.ids.length);
  const names: string[] = [];
  if (subjects.regions) {
    const known = new Map<string, number>();
    subjects.regions.forEach((region, subject) => {
      let code = known.get(region);
      if (code === undefined) {
        code = names.length;
        if (code >= regionsMax) throw new Error("a history segment holds too many regions");
        known.set(region, code);
        names.push(region);
      }
      index[subject] = code;
    });
  }
  return { index, json: Buffer.from(JSON.stringify(names), "utf8") };
}

/** Distinct (type, points, expiry delay, status byte) lines, numbered in order of first use. */
class LineDictionary {
  private readonly codes = new Map<number, Map<number, Map<number, number>>>();
  private readonly typeIds: number[] = [];
  private readonly points: number[] = [];
  private readonly expiresAfter: number[] = [];
  private readonly statuses: number[] = [];

  get count(): number {
    return this.typeIds.length;
  }

  code(typeId: number, points: number, expiresAfter: number, status: number): number {
    let byKind = this.codes.get(expiresAfter);
    if (!byKind) {
      byKind = new Map();
      this.codes.set(expiresAfter, byKind);
    }
    // A status byte is below 256: one exact number holds both.
    const kind = typeId * 256 + status;
    let byPoints = byKind.get(kind);
    if (!byPoints) {
      byPoints = new Map();
      byKind.set(kind, byPoints);
    }
    let code = byPoints.get(points);
    if (code === undefined) {
      code = this.typeIds.length;
      byPoints.set(points, code);
      this.typeIds.push(typeId);
      this.points.push(points);
      this.expiresAfter.push(expiresAfter);
      this.statuses.push(status);
    }
    return code;
  }

  write(view: SegmentView): void {
    view.lineTypeId.set(this.typeIds);
    view.linePoints.set(this.points);
    view.lineExpiresAfter.set(this.expiresAfter);
    view.lineStatus.set(this.statuses);
  }
}
