import { allocateSegment, type SegmentView, viewOf } from "./sqlite.history.layout.js";
import type { RawEvents } from "./sqlite.history.raw.js";

/** A line's status byte: the stored status and the initial status (indexes in `storedStatuses`). */
export const statusByte = { statusMask: 7, initialShift: 3, initialMask: 3 } as const;

const lineCodes16Max = 65_536;
const regionsMax = 65_536;
/** A builder's columns grow by this part of their size (and at least to what is needed). */
const growthDivisor = 4;

export type SegmentSubjects = Readonly<{
  ids: Int32Array;
  /** Each subject's region (base segments); omitted for recent segments. */
  regions?: readonly string[];
}>;

export type EncodedSegment = Readonly<{ columns: Buffer; entryIds: Buffer; events: number }>;

/**
 * Builds one segment (sqlite.history.segment.ts) from events added in its order, (subject,
 * time, id). It keeps per event only what the segment stores (occurrence time, line code, entry
 * id: 20 bytes), so that a round step never holds a segment's events as full columns (62 bytes
 * an event, several copies of which made `civic ingest`'s peak memory).
 */
export class SegmentBuilder {
  private occurredAt: Float64Array;
  private entryIds: Float64Array;
  private lineCodes: Uint32Array;
  private count = 0;
  private readonly extraEvents: number[] = [];
  private readonly extraEffectiveAt: number[] = [];
  private readonly extraConfidence: number[] = [];
  /** Runs of events of one subject: the subject, and the event the run starts at. */
  private readonly runSubjects: number[] = [];
  private readonly runStarts: number[] = [];
  private runSubject = 0;
  private readonly lines = new LineDictionary();

  constructor(capacity: number) {
    this.occurredAt = new Float64Array(capacity);
    this.entryIds = new Float64Array(capacity);
    this.lineCodes = new Uint32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** The code of a (type, points, expiry delay, status byte) line in this segment. */
  line(typeId: number, points: number, expiresAfter: number, status: number): number {
    return this.lines.code(typeId, points, expiresAfter, status);
  }

  /** Adds an event of the line `lineCode` (from `line`); NaN confidence: none. */
  add(
    subjectId: number,
    entryId: number,
    occurredAt: number,
    effectiveAt: number,
    confidence: number,
    lineCode: number,
  ): void {
    const event = this.count;
    if (event === this.occurredAt.length) this.grow(event + 1);
    if (event === 0 || this.runSubject !== subjectId) {
      this.runSubject = subjectId;
      this.runSubjects.push(subjectId);
      this.runStarts.push(event);
    }
    this.occurredAt[event] = occurredAt;
    this.entryIds[event] = entryId;
    this.lineCodes[event] = lineCode;
    if (effectiveAt !== occurredAt || !Number.isNaN(confidence)) {
      this.extraEvents.push(event);
      this.extraEffectiveAt.push(effectiveAt);
      this.extraConfidence.push(confidence);
    }
    this.count = event + 1;
  }

  /** Adds event `index` of `events`. */
  addRaw(events: RawEvents, index: number): void {
    const occurredAt = events.occurredAt[index] as number;
    const lineCode = this.lines.code(
      events.typeId[index] as number,
      events.points[index] as number,
      (events.expiresAt[index] as number) - occurredAt,
      (events.status[index] as number) |
        ((events.initialStatus[index] as number) << statusByte.initialShift),
    );
    this.add(
      events.subjectId[index] as number,
      events.entryId[index] as number,
      occurredAt,
      events.effectiveAt[index] as number,
      events.confidence[index] as number,
      lineCode,
    );
  }

  /**
   * The segment of the listed subjects; a subject may have no events, an event's subject must
   * be listed. The entry ids are a view on the builder's column, not a copy: add nothing after.
   */
  finish(subjects: SegmentSubjects): EncodedSegment {
    const subjectCount = subjects.ids.length;
    const eventCount = this.count;
    const offsets = this.offsetsOf(subjects.ids);
    const regions = regionColumns(subjects);
    const { columns, layout } = allocateSegment({
      subjectCount,
      eventCount,
      extraCount: this.extraEvents.length,
      lineCount: this.lines.count,
      lineCodeBytes: this.lines.count <= lineCodes16Max ? 2 : 4,
      regionsBytes: regions.json.length,
    });
    const view = viewOf(columns, layout, []);
    view.occurredAt.set(this.occurredAt.subarray(0, eventCount));
    view.extraEvents.set(this.extraEvents);
    view.extraEffectiveAt.set(this.extraEffectiveAt);
    view.extraConfidence.set(this.extraConfidence);
    view.subjectIds.set(subjects.ids);
    view.offsets.set(offsets);
    view.regionIndex.set(regions.index);
    view.lineCodes.set(this.lineCodes.subarray(0, eventCount));
    this.lines.write(view);
    regions.json.copy(columns, layout.regions);
    const entryIds = Buffer.from(this.entryIds.buffer, 0, eventCount * 8);
    return { columns, entryIds, events: eventCount };
  }

  /** Where each listed subject's events start, from the runs. */
  private offsetsOf(ids: Int32Array): Int32Array {
    const subjectCount = ids.length;
    const offsets = new Int32Array(subjectCount + 1);
    let subject = 0;
    for (let run = 0; run < this.runSubjects.length; run++) {
      const subjectId = this.runSubjects[run] as number;
      while (subject < subjectCount && (ids[subject] as number) < subjectId) {
        subject++;
        offsets[subject] = this.runStarts[run] as number;
      }
      if (ids[subject] !== subjectId) {
        throw new Error(`a segment event names subject ${subjectId}, not listed or not sorted`);
      }
    }
    while (subject < subjectCount) {
      subject++;
      offsets[subject] = this.count;
    }
    return offsets;
  }

  private grow(needed: number): void {
    const capacity = Math.max(
      needed,
      this.occurredAt.length + Math.ceil(this.occurredAt.length / growthDivisor),
      1_024,
    );
    const occurredAt = new Float64Array(capacity);
    const entryIds = new Float64Array(capacity);
    const lineCodes = new Uint32Array(capacity);
    occurredAt.set(this.occurredAt);
    entryIds.set(this.entryIds);
    lineCodes.set(this.lineCodes);
    this.occurredAt = occurredAt;
    this.entryIds = entryIds;
    this.lineCodes = lineCodes;
  }
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
