/**
 * Stored entries as the history needs them, in columns: everything a replay reads of an entry,
 * before any query decides its standing and live points. The sealer moves entries between rows
 * and segments in this form; the reader turns it into chunk columns.
 */
export type RawEvents = {
  length: number;
  entryId: Float64Array;
  subjectId: Int32Array;
  occurredAt: Float64Array;
  effectiveAt: Float64Array;
  expiresAt: Float64Array;
  typeId: Int32Array;
  points: Int32Array;
  /** Index in `storedStatuses`. */
  status: Uint8Array;
  /** Index in `storedStatuses` too (effective, pending_review or capped). */
  initialStatus: Uint8Array;
  /** NaN: the entry has no confidence (not an automatic attribution). */
  confidence: Float64Array;
};

export function allocateRaw(capacity: number): RawEvents {
  return {
    length: 0,
    entryId: new Float64Array(capacity),
    subjectId: new Int32Array(capacity),
    occurredAt: new Float64Array(capacity),
    effectiveAt: new Float64Array(capacity),
    expiresAt: new Float64Array(capacity),
    typeId: new Int32Array(capacity),
    points: new Int32Array(capacity),
    status: new Uint8Array(capacity),
    initialStatus: new Uint8Array(capacity),
    confidence: new Float64Array(capacity),
  };
}

/** Room for `more` events after the current ones, growing the columns (doubling) when needed. */
export function reserveRaw(events: RawEvents, more: number): RawEvents {
  const needed = events.length + more;
  if (needed <= events.entryId.length) return events;
  const grown = allocateRaw(Math.max(needed, events.entryId.length * 2, 1_024));
  copyRaw(events, 0, events.length, grown, 0);
  grown.length = events.length;
  return grown;
}

/** Copies events [from, to) of `source` to `target` from `at` (columns must have room). */
export function copyRaw(
  source: RawEvents,
  from: number,
  to: number,
  target: RawEvents,
  at: number,
): void {
  target.entryId.set(source.entryId.subarray(from, to), at);
  target.subjectId.set(source.subjectId.subarray(from, to), at);
  target.occurredAt.set(source.occurredAt.subarray(from, to), at);
  target.effectiveAt.set(source.effectiveAt.subarray(from, to), at);
  target.expiresAt.set(source.expiresAt.subarray(from, to), at);
  target.typeId.set(source.typeId.subarray(from, to), at);
  target.points.set(source.points.subarray(from, to), at);
  target.status.set(source.status.subarray(from, to), at);
  target.initialStatus.set(source.initialStatus.subarray(from, to), at);
  target.confidence.set(source.confidence.subarray(from, to), at);
}

/** Appends every event of `more` to `events`; returns the (maybe grown) columns. */
export function appendRaw(events: RawEvents, more: RawEvents): RawEvents {
  const target = reserveRaw(events, more.length);
  copyRaw(more, 0, more.length, target, target.length);
  target.length += more.length;
  return target;
}

/** The events for which `keep` holds, in their order, as new columns. */
export function filterRaw(events: RawEvents, keep: (index: number) => boolean): RawEvents {
  const kept: number[] = [];
  for (let index = 0; index < events.length; index++) if (keep(index)) kept.push(index);
  return kept.length === events.length ? events : permuteRaw(events, kept);
}

/** Runs of one subject up to this long are sorted by insertion, longer ones by `Array#sort`. */
const insertionSortEventsMax = 32;

/**
 * The events sorted by (subject, occurrence time, entry id): the segments' order, and the order
 * a replay reads (entry ids ascend with recording, so equal times stay in recording order). A
 * counting sort by subject, then each subject's run, which is mostly in order already.
 */
export function sortRaw(events: RawEvents): RawEvents {
  const order = sortOrder(events);
  return order ? permuteRaw(events, order) : events;
}

/**
 * The positions of the events in the order `sortRaw` gives, or undefined when they are in it
 * already: to read them in that order without a sorted copy (62 bytes an event).
 */
export function sortOrder(events: RawEvents): Int32Array | undefined {
  const { subjectId, length } = events;
  let sorted = true;
  for (let index = 1; index < length && sorted; index++) sorted = before(events, index - 1, index);
  if (sorted) return undefined;
  let subjectMin = Number.POSITIVE_INFINITY;
  let subjectMax = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < length; index++) {
    const subject = subjectId[index] as number;
    if (subject < subjectMin) subjectMin = subject;
    if (subject > subjectMax) subjectMax = subject;
  }
  const starts = new Int32Array(subjectMax - subjectMin + 2);
  for (let index = 0; index < length; index++) {
    const slot = (subjectId[index] as number) - subjectMin + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let slot = 1; slot < starts.length; slot++) {
    starts[slot] = (starts[slot] as number) + (starts[slot - 1] as number);
  }
  const order = new Int32Array(length);
  const next = starts.slice();
  for (let index = 0; index < length; index++) {
    const slot = (subjectId[index] as number) - subjectMin;
    order[next[slot] as number] = index;
    next[slot] = (next[slot] as number) + 1;
  }
  for (let slot = 0; slot + 1 < starts.length; slot++) {
    sortRun(events, order, starts[slot] as number, starts[slot + 1] as number);
  }
  return order;
}

function copyOne(source: RawEvents, from: number, target: RawEvents, to: number): void {
  target.entryId[to] = source.entryId[from] as number;
  target.subjectId[to] = source.subjectId[from] as number;
  target.occurredAt[to] = source.occurredAt[from] as number;
  target.effectiveAt[to] = source.effectiveAt[from] as number;
  target.expiresAt[to] = source.expiresAt[from] as number;
  target.typeId[to] = source.typeId[from] as number;
  target.points[to] = source.points[from] as number;
  target.status[to] = source.status[from] as number;
  target.initialStatus[to] = source.initialStatus[from] as number;
  target.confidence[to] = source.confidence[from] as number;
}

/** Whether event `left` comes before event `right` by (subject, time, id). */
function before(events: RawEvents, left: number, right: number): boolean {
  return compareEvents(events, left, right) < 0;
}

function compareEvents(events: RawEvents, left: number, right: number): number {
  return (
    (events.subjectId[left] as number) - (events.subjectId[right] as number) ||
    (events.occurredAt[left] as number) - (events.occurredAt[right] as number) ||
    (events.entryId[left] as number) - (events.entryId[right] as number)
  );
}

/** Sorts `order[start, end)` (the events of one subject) by (time, id). */
function sortRun(events: RawEvents, order: Int32Array, start: number, end: number): void {
  let sorted = true;
  for (let place = start + 1; place < end && sorted; place++) {
    sorted = before(events, order[place - 1] as number, order[place] as number);
  }
  if (sorted) return;
  if (end - start > insertionSortEventsMax) {
    const run = Array.from(order.subarray(start, end));
    run.sort((left, right) => compareEvents(events, left, right));
    order.set(run, start);
    return;
  }
  for (let place = start + 1; place < end; place++) {
    const event = order[place] as number;
    let to = place;
    for (; to > start && before(events, event, order[to - 1] as number); to--) {
      order[to] = order[to - 1] as number;
    }
    order[to] = event;
  }
}

function permuteRaw(events: RawEvents, order: ArrayLike<number>): RawEvents {
  const result = allocateRaw(order.length);
  for (let to = 0; to < order.length; to++) copyOne(events, order[to] as number, result, to);
  result.length = order.length;
  return result;
}
