import type { HistoryChunk } from "../core/history.js";

/** A subject's events are sorted by insertion up to this many; longer runs by a merge sort. */
const insertionSortEventsMax = 32;

/** The events of some subjects in columns, grouped by subject: `offsets[s]` is where `s` starts. */
export type HistoryColumns = Readonly<{
  subjects: HistoryChunk["subjects"];
  /** `subjects.count + 1` places; the last is the number of events. */
  offsets: Int32Array;
  events: HistoryChunk["events"];
}>;

/** Columns for `eventCount` events, to be filled by an adapter. */
export function allocateEvents(eventCount: number): HistoryChunk["events"] {
  return {
    length: eventCount,
    subjectIndex: new Int32Array(eventCount),
    typeIndex: new Int32Array(eventCount),
    occurredAt: new Float64Array(eventCount),
    standing: new Uint8Array(eventCount),
    livePoints: new Int16Array(eventCount),
  };
}

/**
 * Sorts each subject's events by occurrence time, keeping the order they were filled in for
 * equal times (recording order). Stored events mostly arrive in time order, so most runs are
 * already sorted and cost one comparison an event.
 */
export function sortEachSubjectByTime(columns: HistoryColumns): void {
  for (let subject = 0; subject < columns.subjects.count; subject++) {
    sortRun(columns, subject, undefined);
  }
}

/**
 * Sorts the runs of the listed subjects by (occurrence time, `tiebreak`), moving `tiebreak`
 * (one place per event, e.g. entry ids) with the columns; without it, equal times keep the
 * order they were filled in.
 */
export function sortSubjectsByTime(
  columns: HistoryColumns,
  subjects: Iterable<number>,
  tiebreak: Float64Array | undefined,
): void {
  for (const subject of subjects) sortRun(columns, subject, tiebreak);
}

function sortRun(
  columns: HistoryColumns,
  subject: number,
  tiebreak: Float64Array | undefined,
): void {
  const { offsets, events } = columns;
  const start = offsets[subject] as number;
  const end = offsets[subject + 1] as number;
  const times = events.occurredAt;
  let sorted = true;
  for (let index = start + 1; index < end && sorted; index++) {
    const previous = times[index - 1] as number;
    const time = times[index] as number;
    sorted =
      previous < time ||
      (previous === time &&
        (tiebreak === undefined || (tiebreak[index - 1] as number) < (tiebreak[index] as number)));
  }
  if (sorted) return;
  if (end - start <= insertionSortEventsMax) insertionSort(events, start, end, tiebreak);
  else permuteSort(events, start, end, tiebreak);
}

function insertionSort(
  events: HistoryChunk["events"],
  start: number,
  end: number,
  tiebreak: Float64Array | undefined,
): void {
  const { typeIndex, occurredAt, standing, livePoints } = events;
  for (let index = start + 1; index < end; index++) {
    const time = occurredAt[index] as number;
    const key = tiebreak ? (tiebreak[index] as number) : 0;
    let place = index;
    while (place > start) {
      const before = occurredAt[place - 1] as number;
      // Equal times: without a tiebreak the earlier stays first (a stable sort).
      if (
        before < time ||
        (before === time && (!tiebreak || (tiebreak[place - 1] as number) < key))
      ) {
        break;
      }
      place--;
    }
    if (place === index) continue;
    const type = typeIndex[index] as number;
    const code = standing[index] as number;
    const points = livePoints[index] as number;
    occurredAt.copyWithin(place + 1, place, index);
    typeIndex.copyWithin(place + 1, place, index);
    standing.copyWithin(place + 1, place, index);
    livePoints.copyWithin(place + 1, place, index);
    tiebreak?.copyWithin(place + 1, place, index);
    occurredAt[place] = time;
    typeIndex[place] = type;
    standing[place] = code;
    livePoints[place] = points;
    if (tiebreak) tiebreak[place] = key;
  }
}

/** A long run: sort positions by (time, tiebreak or position), then move the columns. */
function permuteSort(
  events: HistoryChunk["events"],
  start: number,
  end: number,
  tiebreak: Float64Array | undefined,
): void {
  const { typeIndex, occurredAt, standing, livePoints } = events;
  const order = Array.from({ length: end - start }, (_, offset) => start + offset);
  const keyOf = (position: number) => (tiebreak ? (tiebreak[position] as number) : position);
  order.sort(
    (left, right) =>
      (occurredAt[left] as number) - (occurredAt[right] as number) || keyOf(left) - keyOf(right),
  );
  const times = Float64Array.from(order, (position) => occurredAt[position] as number);
  const types = Int32Array.from(order, (position) => typeIndex[position] as number);
  const codes = Uint8Array.from(order, (position) => standing[position] as number);
  const points = Int16Array.from(order, (position) => livePoints[position] as number);
  const keys = tiebreak && Float64Array.from(order, (position) => tiebreak[position] as number);
  occurredAt.set(times, start);
  typeIndex.set(types, start);
  standing.set(codes, start);
  livePoints.set(points, start);
  if (tiebreak && keys) tiebreak.set(keys, start);
}

/**
 * Cuts columns into chunks of whole subjects holding about `chunkEventsMax` events each (a
 * subject with more events makes a larger chunk). The chunks are views on the columns, with
 * `subjectIndex` rewritten in place to count from each chunk's first subject.
 */
export function* chunksOf(
  columns: HistoryColumns,
  names: Readonly<{ regions: readonly string[]; types: readonly string[] }>,
  chunkEventsMax: number,
): Generator<HistoryChunk> {
  if (!Number.isInteger(chunkEventsMax) || chunkEventsMax < 1) {
    throw new Error(`chunkEventsMax must be a positive whole number, not ${chunkEventsMax}`);
  }
  const { subjects, offsets, events } = columns;
  let first = 0;
  while (first < subjects.count) {
    let end = first + 1;
    while (
      end < subjects.count &&
      (offsets[end + 1] as number) - (offsets[first] as number) <= chunkEventsMax
    ) {
      end++;
    }
    const eventStart = offsets[first] as number;
    const eventEnd = offsets[end] as number;
    const subjectIndex = events.subjectIndex.subarray(eventStart, eventEnd);
    if (first > 0) {
      for (let index = 0; index < subjectIndex.length; index++) {
        subjectIndex[index] = (subjectIndex[index] as number) - first;
      }
    }
    yield {
      subjects: {
        count: end - first,
        internalIds: subjects.internalIds.subarray(first, end),
        regionIndex: subjects.regionIndex.subarray(first, end),
      },
      events: {
        length: eventEnd - eventStart,
        subjectIndex,
        typeIndex: events.typeIndex.subarray(eventStart, eventEnd),
        occurredAt: events.occurredAt.subarray(eventStart, eventEnd),
        standing: events.standing.subarray(eventStart, eventEnd),
        livePoints: events.livePoints.subarray(eventStart, eventEnd),
      },
      regions: names.regions,
      types: names.types,
    };
    first = end;
  }
}
