import { storedStatuses } from "../../core/entry.js";
import { standingBits } from "../../core/history.js";
import type { HistoryQuery } from "../store.js";
import type { RawEvents } from "./sqlite.history.raw.js";
import { lowerBound, type SegmentView, statusByte } from "./sqlite.history.segment.js";

/**
 * Events as one history query sees them (chunk columns: type index, standing and live points at
 * the query's time), grouped by subject: `subjects` (internal ids, ascending; some may have no
 * events) and `offsets` (where each one's events start, `subjects.length + 1` places). Within a
 * subject, sorted by (time, entry id). `entryId` where the ids are known.
 */
export type QueryEvents = Readonly<{
  length: number;
  subjects: Int32Array;
  offsets: Int32Array;
  /** Each event's place in `subjects`, where the decoder wrote it (a segment's events). */
  subjectIndex: Int32Array | undefined;
  entryId: Float64Array | undefined;
  typeIndex: Int32Array;
  occurredAt: Float64Array;
  standing: Uint8Array;
  livePoints: Int16Array;
}>;

/** A segment's lines as one query sees them. */
type Lines = Readonly<{
  typeIndex: Int32Array;
  points: Int16Array;
  expiresAfter: Float64Array;
  /** Standing before the confidence test (status and confirmation bits). */
  standing: Uint8Array;
  /** 1 where the line's entries are `effective`. */
  effective: Uint8Array;
}>;

/**
 * Decodes a segment's subjects at positions [from, to) the common way (occurrence time as the
 * effective time, no confidence). A function of its own, with nothing after its loop: the
 * optimizing compiler then sees the whole of it from the first call (compiling a loop halfway
 * through a longer function, then leaving it, costs a deoptimization every call).
 */
function decodeRuns(
  view: SegmentView,
  span: Readonly<{ from: number; to: number }>,
  tables: Readonly<{
    lines: Lines;
    at: number;
    into: Readonly<{
      offsets: Int32Array;
      subjectIndex: Int32Array;
      typeIndex: Int32Array;
      standing: Uint8Array;
      livePoints: Int16Array;
    }>;
  }>,
): void {
  const { lines, at } = tables;
  const { offsets, subjectIndex, typeIndex, standing, livePoints } = tables.into;
  const { lineCodes, occurredAt } = view;
  const first = view.offsets[span.from] as number;
  let event = first;
  for (let subject = span.from; subject < span.to; subject++) {
    const position = subject - span.from;
    const runEnd = view.offsets[subject + 1] as number;
    offsets[position] = event - first;
    for (; event < runEnd; event++) {
      const line = lineCodes[event] as number;
      const time = occurredAt[event] as number;
      const place = event - first;
      subjectIndex[place] = position;
      typeIndex[place] = lines.typeIndex[line] as number;
      standing[place] = lines.standing[line] as number;
      // Without branches: whether an entry still counts at `at` is as good as random.
      const counts =
        (lines.effective[line] as number) &
        Number(time <= at) &
        Number(at < time + (lines.expiresAfter[line] as number));
      livePoints[place] = (lines.points[line] as number) * counts;
    }
  }
  offsets[span.to - span.from] = event - first;
}

/** One object shape for every `QueryEvents`: the assembly's loops then see a single map. */
function queryEvents(fields: QueryEvents): QueryEvents {
  return {
    length: fields.length,
    subjects: fields.subjects,
    offsets: fields.offsets,
    subjectIndex: fields.subjectIndex,
    entryId: fields.entryId,
    typeIndex: fields.typeIndex,
    occurredAt: fields.occurredAt,
    standing: fields.standing,
    livePoints: fields.livePoints,
  };
}

const livePointsMin = -32_768;
const livePointsMax = 32_767;
const effectiveCode = storedStatuses.indexOf("effective");
const pendingReviewCode = storedStatuses.indexOf("pending_review");
/** Marks a status byte that names no stored status: the replay refuses it. */
const impossible = 255;
const statusBytes =
  (statusByte.statusMask | (statusByte.initialMask << statusByte.initialShift)) + 1;

/** Turns raw events and segment spans into `QueryEvents` for one query. */
export class QueryDecoder {
  /** Standing of a status byte before the confidence test (status and confirmation bits). */
  private readonly standingOfByte = new Uint8Array(statusBytes);
  /** 1 where the status byte's stored status is `effective`. */
  private readonly effectiveOfByte = new Uint8Array(statusBytes);

  constructor(
    private readonly query: Pick<HistoryQuery, "at" | "confidenceMin">,
    private readonly typeIndexOfId: Int32Array,
  ) {
    for (let byte = 0; byte < statusBytes; byte++) {
      const status = byte & statusByte.statusMask;
      const initial = (byte >> statusByte.initialShift) & statusByte.initialMask;
      const confirmed = initial === pendingReviewCode && status === effectiveCode;
      this.standingOfByte[byte] =
        status < storedStatuses.length
          ? status + (confirmed ? standingBits.confirmed : 0)
          : impossible;
      this.effectiveOfByte[byte] = status === effectiveCode ? 1 : 0;
    }
  }

  /**
   * The events of the segment's subjects at positions [from, to). `occurredAt` is a view on
   * the segment (no copy); `entryIds`, when given, are the segment's ids.
   */
  fromSegment(
    view: SegmentView,
    span: Readonly<{ from: number; to: number }>,
    entryIds?: Float64Array,
  ): QueryEvents {
    const first = view.offsets[span.from] as number;
    const end = view.offsets[span.to] as number;
    const length = end - first;
    const subjectIndex = new Int32Array(length);
    const typeIndex = new Int32Array(length);
    const standing = new Uint8Array(length);
    const livePoints = new Int16Array(length);
    const offsets = new Int32Array(span.to - span.from + 1);
    const lines = this.lines(view);
    decodeRuns(view, span, {
      lines,
      at: this.query.at,
      into: { offsets, subjectIndex, typeIndex, standing, livePoints },
    });
    this.redoDiffering(view, { first, end }, { standing, livePoints }, lines);
    return queryEvents({
      length,
      subjects: view.subjectIds.subarray(span.from, span.to),
      offsets,
      subjectIndex,
      entryId: entryIds?.slice(first, end),
      typeIndex,
      occurredAt: view.occurredAt.subarray(first, end),
      standing,
      livePoints,
    });
  }

  /** The few events with an effective time of their own, or a confidence, decoded again. */
  private redoDiffering(
    view: SegmentView,
    events: Readonly<{ first: number; end: number }>,
    into: Readonly<{ standing: Uint8Array; livePoints: Int16Array }>,
    lines: Lines,
  ): void {
    const { at, confidenceMin } = this.query;
    const { lineCodes, occurredAt, extraEvents, extraEffectiveAt, extraConfidence } = view;
    const { first, end } = events;
    for (let extra = lowerBound(extraEvents, first); extra < extraEvents.length; extra++) {
      const differing = extraEvents[extra] as number;
      if (differing >= end) break;
      const line = lineCodes[differing] as number;
      const effectiveAt = extraEffectiveAt[extra] as number;
      const place = differing - first;
      into.standing[place] =
        (lines.standing[line] as number) |
        ((extraConfidence[extra] as number) < confidenceMin ? standingBits.lowConfidence : 0);
      const counts =
        (lines.effective[line] as number) &
        Number(effectiveAt <= at) &
        Number(at < (occurredAt[differing] as number) + (lines.expiresAfter[line] as number));
      into.livePoints[place] = (lines.points[line] as number) * counts;
    }
  }

  /** Raw events (sorted by subject, time and id) as this query sees them. */
  fromRaw(raw: RawEvents): QueryEvents {
    const { length } = raw;
    const grouping = groupBySubject(raw.subjectId, length);
    const typeIndex = new Int32Array(length);
    const standing = new Uint8Array(length);
    const livePoints = new Int16Array(length);
    const { at, confidenceMin } = this.query;
    for (let event = 0; event < length; event++) {
      const byte =
        (raw.status[event] as number) |
        ((raw.initialStatus[event] as number) << statusByte.initialShift);
      const confidence = raw.confidence[event] as number;
      typeIndex[event] = this.typeIndex(raw.typeId[event] as number);
      standing[event] =
        (this.standingOfByte[byte] as number) |
        (confidence < confidenceMin ? standingBits.lowConfidence : 0);
      const counts =
        this.effectiveOfByte[byte] === 1 &&
        (raw.effectiveAt[event] as number) <= at &&
        at < (raw.expiresAt[event] as number);
      livePoints[event] = counts ? checkedPoints(raw.points[event] as number) : 0;
    }
    return queryEvents({
      length,
      subjects: grouping.subjects,
      offsets: grouping.offsets,
      subjectIndex: undefined,
      entryId: raw.entryId.slice(0, length),
      typeIndex,
      occurredAt: raw.occurredAt.slice(0, length),
      standing,
      livePoints,
    });
  }

  /** Per line of a segment: its type's index, points (checked to fit), expiry delay, standing. */
  private lines(view: SegmentView): Lines {
    const count = view.lineTypeId.length;
    const typeIndex = new Int32Array(count);
    const points = new Int16Array(count);
    const standing = new Uint8Array(count);
    const effective = new Uint8Array(count);
    for (let line = 0; line < count; line++) {
      const byte = view.lineStatus[line] as number;
      typeIndex[line] = this.typeIndex(view.lineTypeId[line] as number);
      standing[line] = this.standingOfByte[byte] as number;
      effective[line] = this.effectiveOfByte[byte] as number;
      // Only an effective entry can count: the others' points never reach the live points.
      points[line] = effective[line] === 1 ? checkedPoints(view.linePoints[line] as number) : 0;
    }
    return { typeIndex, points, expiresAfter: view.lineExpiresAfter, standing, effective };
  }

  private typeIndex(typeId: number): number {
    const index = this.typeIndexOfId[typeId];
    if (index === undefined || index < 0) throw new Error(`unknown event type ${typeId}`);
    return index;
  }
}

function checkedPoints(points: number): number {
  if (points < livePointsMin || points > livePointsMax) {
    throw new Error(`an entry has ${points} points: too many to pack`);
  }
  return points;
}

/** The distinct subjects of events grouped by subject, and where each one's events start. */
function groupBySubject(
  subjectId: Int32Array,
  length: number,
): { subjects: Int32Array; offsets: Int32Array } {
  const subjects: number[] = [];
  const offsets: number[] = [];
  for (let event = 0; event < length; event++) {
    const subject = subjectId[event] as number;
    if (subjects.at(-1) === subject) continue;
    if (subjects.length > 0 && subject < (subjects.at(-1) as number)) {
      throw new Error("events from rows are not grouped by subject");
    }
    subjects.push(subject);
    offsets.push(event);
  }
  offsets.push(length);
  return { subjects: Int32Array.from(subjects), offsets: Int32Array.from(offsets) };
}

/** The events for which `keep` holds, in their order; the subjects stay listed. */
export function filterQueryEvents(
  events: QueryEvents,
  keep: (index: number) => boolean,
): QueryEvents {
  const kept: number[] = [];
  const offsets = new Int32Array(events.offsets.length);
  for (let subject = 0; subject < events.subjects.length; subject++) {
    const end = events.offsets[subject + 1] as number;
    for (let index = events.offsets[subject] as number; index < end; index++) {
      if (keep(index)) kept.push(index);
    }
    offsets[subject + 1] = kept.length;
  }
  if (kept.length === events.length) return events;
  const pick = <Column extends Float64Array | Int32Array | Uint8Array | Int16Array>(
    column: Column,
    make: (length: number) => Column,
  ): Column => {
    const result = make(kept.length);
    kept.forEach((from, to) => {
      result[to] = column[from] as number;
    });
    return result;
  };
  return queryEvents({
    length: kept.length,
    subjects: events.subjects,
    offsets,
    subjectIndex: undefined,
    entryId: events.entryId && pick(events.entryId, (n) => new Float64Array(n)),
    typeIndex: pick(events.typeIndex, (n) => new Int32Array(n)),
    occurredAt: pick(events.occurredAt, (n) => new Float64Array(n)),
    standing: pick(events.standing, (n) => new Uint8Array(n)),
    livePoints: pick(events.livePoints, (n) => new Int16Array(n)),
  });
}

/** The events of subjects in [firstSubject, endSubject), as views on the columns. */
export function subjectSlice(
  events: QueryEvents,
  firstSubject: number,
  endSubject: number,
): QueryEvents {
  const from = lowerBound(events.subjects, firstSubject);
  const to = lowerBound(events.subjects, endSubject);
  const first = events.offsets[from] as number;
  const end = events.offsets[to] as number;
  const offsets = events.offsets.slice(from, to + 1);
  for (let subject = 0; subject < offsets.length; subject++) {
    offsets[subject] = (offsets[subject] as number) - first;
  }
  return queryEvents({
    length: end - first,
    subjects: events.subjects.subarray(from, to),
    offsets,
    subjectIndex: undefined,
    entryId: events.entryId?.subarray(first, end),
    typeIndex: events.typeIndex.subarray(first, end),
    occurredAt: events.occurredAt.subarray(first, end),
    standing: events.standing.subarray(first, end),
    livePoints: events.livePoints.subarray(first, end),
  });
}
