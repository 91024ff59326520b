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
  const { offsets, events } = columns;
  for (let subject = 0; subject < columns.subjects.count; subject++) {
    const start = offsets[subject] as number;
    const end = offsets[subject + 1] as number;
    let sorted = true;
    for (let index = start + 1; index < end && sorted; index++) {
      sorted = (events.occurredAt[index - 1] as number) <= (events.occurredAt[index] as number);
    }
    if (sorted) continue;
    if (end - start <= insertionSortEventsMax) insertionSort(events, start, end);
    else permuteSort(events, start, end);
  }
}

function insertionSort(events: HistoryChunk["events"], start: number, end: number): void {
  const { typeIndex, occurredAt, standing, livePoints } = events;
  for (let index = start + 1; index < end; index++) {
    const time = occurredAt[index] as number;
    const type = typeIndex[index] as number;
    const code = standing[index] as number;
    const points = livePoints[index] as number;
    let place = index;
    for (; place > start && (occurredAt[place - 1] as number) > time; place--) {
      occurredAt[place] = occurredAt[place - 1] as number;
      typeIndex[place] = typeIndex[place - 1] as number;
      standing[place] = standing[place - 1] as number;
      livePoints[place] = livePoints[place - 1] as number;
    }
    occurredAt[place] = time;
    typeIndex[place] = type;
    standing[place] = code;
    livePoints[place] = points;
  }
}

/** A long run: sort positions by (time, position), a stable order, then move the columns. */
function permuteSort(events: HistoryChunk["events"], start: number, end: number): void {
  const { typeIndex, occurredAt, standing, livePoints } = events;
  const order = Array.from({ length: end - start }, (_, offset) => start + offset);
  order.sort(
    (left, right) => (occurredAt[left] as number) - (occurredAt[right] as number) || left - right,
  );
  const times = Float64Array.from(order, (position) => occurredAt[position] as number);
  const types = Int32Array.from(order, (position) => typeIndex[position] as number);
  const codes = Uint8Array.from(order, (position) => standing[position] as number);
  const points = Int16Array.from(order, (position) => livePoints[position] as number);
  occurredAt.set(times, start);
  typeIndex.set(types, start);
  standing.set(codes, start);
  livePoints.set(points, start);
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
