import { type SegmentBuilder, statusByte } from "./sqlite.history.builder.js";
import type { RawEvents } from "./sqlite.history.raw.js";
import { lowerBound, type SegmentView } from "./sqlite.history.segment.js";

/**
 * One input of a merge, sorted by (subject, occurrence time, entry id): the keys of its next
 * event, and a way to add that event to a segment being built.
 */
export interface EventSource {
  readonly done: boolean;
  readonly subjectId: number;
  readonly occurredAt: number;
  readonly entryId: number;
  /** Events left, the next one included. */
  readonly remaining: number;
  /** Adds the next event to `builder` and moves past it. */
  moveTo(builder: SegmentBuilder): void;
}

/**
 * The events of subjects at positions [from, to) of a segment, less the entries in `dropped`,
 * read from the encoded columns as they are merged: a round step never decodes a segment into
 * full columns. A line's code in the new segment is looked up once per builder.
 */
export class SegmentSource implements EventSource {
  subjectId = 0;
  occurredAt = 0;
  entryId = 0;
  remaining: number;
  private event: number;
  private readonly end: number;
  private subject: number;
  private extra: number;
  private readonly lineCodes: Int32Array;
  private lineCodesOf: SegmentBuilder | undefined;

  constructor(
    private readonly view: SegmentView,
    private readonly entryIds: Float64Array,
    span: Readonly<{ from: number; to: number }>,
    private readonly dropped: ReadonlyMap<number, unknown>,
  ) {
    this.event = view.offsets[span.from] as number;
    this.end = view.offsets[span.to] as number;
    this.subject = span.from;
    this.extra = lowerBound(view.extraEvents, this.event);
    this.lineCodes = new Int32Array(view.lineTypeId.length);
    this.remaining = this.end - this.event;
    if (dropped.size > 0) {
      for (let event = this.event; event < this.end; event++) {
        if (dropped.has(entryIds[event] as number)) this.remaining--;
      }
    }
    this.settle();
  }

  get done(): boolean {
    return this.event >= this.end;
  }

  moveTo(builder: SegmentBuilder): void {
    const { view, event, occurredAt } = this;
    while ((view.extraEvents[this.extra] as number) < event) this.extra++;
    const differs = view.extraEvents[this.extra] === event;
    builder.add(
      this.subjectId,
      this.entryId,
      occurredAt,
      differs ? (view.extraEffectiveAt[this.extra] as number) : occurredAt,
      differs ? (view.extraConfidence[this.extra] as number) : Number.NaN,
      this.lineCodeIn(builder, view.lineCodes[event] as number),
    );
    this.event++;
    this.remaining--;
    this.settle();
  }

  /** Moves to the next event not dropped, and reads its keys. */
  private settle(): void {
    const { view, entryIds, dropped } = this;
    while (this.event < this.end && dropped.has(entryIds[this.event] as number)) this.event++;
    if (this.event >= this.end) return;
    while ((view.offsets[this.subject + 1] as number) <= this.event) this.subject++;
    this.subjectId = view.subjectIds[this.subject] as number;
    this.occurredAt = view.occurredAt[this.event] as number;
    this.entryId = entryIds[this.event] as number;
  }

  /**
   * The builder's code for one of this segment's lines. Times are whole milliseconds, so the
   * line's expiry delay is exactly what `expiresAt - occurredAt` of a decoded event gives.
   */
  private lineCodeIn(builder: SegmentBuilder, line: number): number {
    if (this.lineCodesOf !== builder) {
      this.lineCodes.fill(-1);
      this.lineCodesOf = builder;
    }
    let code = this.lineCodes[line] as number;
    if (code < 0) {
      const { view } = this;
      const byte = view.lineStatus[line] as number;
      const status = byte & statusByte.statusMask;
      const initial = (byte >> statusByte.initialShift) & statusByte.initialMask;
      code = builder.line(
        view.lineTypeId[line] as number,
        view.linePoints[line] as number,
        view.lineExpiresAfter[line] as number,
        status | (initial << statusByte.initialShift),
      );
      this.lineCodes[line] = code;
    }
    return code;
  }
}

/** Raw events sorted by (subject, time, id) (see `sortRaw`), as a source. */
export class RawSource implements EventSource {
  private index = 0;

  constructor(private readonly events: RawEvents) {}

  get done(): boolean {
    return this.index >= this.events.length;
  }
  get remaining(): number {
    return this.events.length - this.index;
  }
  get subjectId(): number {
    return this.events.subjectId[this.index] as number;
  }
  get occurredAt(): number {
    return this.events.occurredAt[this.index] as number;
  }
  get entryId(): number {
    return this.events.entryId[this.index] as number;
  }

  moveTo(builder: SegmentBuilder): void {
    builder.addRaw(this.events, this.index++);
  }
}

/**
 * Sources of distinct entries merged into one order by (subject, time, id). They are few (a
 * base segment and the round's recent segments), so the next event is found by a scan.
 */
export class SourceMerge {
  private next: EventSource | undefined;

  constructor(private readonly sources: readonly EventSource[]) {
    this.next = this.first();
  }

  /** Events left to merge. */
  get remaining(): number {
    let remaining = 0;
    for (const source of this.sources) remaining += source.remaining;
    return remaining;
  }

  /** Adds the events of subjects up to `subjectId` to `builder`. */
  moveThrough(subjectId: number, builder: SegmentBuilder): void {
    while (this.next && this.next.subjectId <= subjectId) this.moveOne(this.next, builder);
  }

  /** Adds every event left to `builder`. */
  moveAll(builder: SegmentBuilder): void {
    while (this.next) this.moveOne(this.next, builder);
  }

  private moveOne(source: EventSource, builder: SegmentBuilder): void {
    source.moveTo(builder);
    this.next = this.first();
  }

  private first(): EventSource | undefined {
    let first: EventSource | undefined;
    for (const source of this.sources) {
      if (source.done) continue;
      if (!first || compareNext(source, first) < 0) first = source;
    }
    return first;
  }
}

function compareNext(left: EventSource, right: EventSource): number {
  return (
    left.subjectId - right.subjectId ||
    left.occurredAt - right.occurredAt ||
    left.entryId - right.entryId
  );
}
