import { describe, expect, it } from "vitest";
import {
  allocateEvents,
  chunksOf,
  type HistoryColumns,
  sortEachSubjectByTime,
  sortSubjectsByTime,
} from "./history.columns.js";

/** Two subjects: the first with `times`, the second with one event at time 5. */
function columnsWith(times: readonly number[]): HistoryColumns {
  const events = allocateEvents(times.length + 1);
  times.forEach((time, index) => {
    events.occurredAt[index] = time;
    events.typeIndex[index] = index;
    events.standing[index] = index % 32;
    events.livePoints[index] = 100 - index;
  });
  events.subjectIndex[times.length] = 1;
  events.occurredAt[times.length] = 5;
  return {
    subjects: { count: 2, internalIds: Int32Array.of(10, 11), regionIndex: Int32Array.of(0, 0) },
    offsets: Int32Array.of(0, times.length, times.length + 1),
    events,
  };
}

describe("history columns", () => {
  it.each([
    ["short", [3, 1, 2, 1]],
    ["long", Array.from({ length: 100 }, (_, index) => (index * 37) % 11)],
  ])("sorts a %s run by time, equal times in the order they came, columns together", (_, times) => {
    const columns = columnsWith(times);
    sortEachSubjectByTime(columns);
    const expected = times
      .map((time, index) => ({ time, index }))
      .sort((left, right) => left.time - right.time || left.index - right.index);
    const { events } = columns;
    expect([...events.occurredAt.subarray(0, times.length)]).toEqual(expected.map((e) => e.time));
    expect([...events.typeIndex.subarray(0, times.length)]).toEqual(expected.map((e) => e.index));
    expect([...events.livePoints.subarray(0, times.length)]).toEqual(
      expected.map((e) => 100 - e.index),
    );
    expect([...events.standing.subarray(0, times.length)]).toEqual(
      expected.map((e) => e.index % 32),
    );
    expect(events.occurredAt[times.length]).toBe(5);
  });

  it("cuts whole subjects into chunks, counting subjects from each chunk's first", () => {
    const names = { regions: ["north"], types: ["t"] };
    const whole = [...chunksOf(columnsWith([1, 2, 3]), names, 100)];
    expect(whole).toHaveLength(1);
    const cut = [...chunksOf(columnsWith([1, 2, 3]), names, 1)];
    expect(cut.map((chunk) => [chunk.subjects.count, chunk.events.length])).toEqual([
      [1, 3],
      [1, 1],
    ]);
    expect([...(cut[1]?.subjects.internalIds ?? [])]).toEqual([11]);
    expect([...(cut[1]?.events.subjectIndex ?? [])]).toEqual([0]);
    expect(() => [...chunksOf(columnsWith([]), names, 0)]).toThrow(/chunkEventsMax/);
  });

  it.each([
    ["short", 8],
    ["long", 100],
  ])("sorts the listed subjects' %s runs by time and tiebreak, moving the tiebreak", (_, size) => {
    const times = Array.from({ length: size }, (_, index) => (index * 7) % 3);
    const keys = Array.from({ length: size }, (_, index) => size - index);
    const columns = columnsWith(times);
    const tiebreak = Float64Array.from([...keys, 0]);
    sortSubjectsByTime(columns, [0], tiebreak);
    const expected = times
      .map((time, index) => ({ time, key: keys[index] as number, index }))
      .sort((left, right) => left.time - right.time || left.key - right.key);
    const { events } = columns;
    expect([...events.occurredAt.subarray(0, size)]).toEqual(expected.map((e) => e.time));
    expect([...tiebreak.subarray(0, size)]).toEqual(expected.map((e) => e.key));
    expect([...events.typeIndex.subarray(0, size)]).toEqual(expected.map((e) => e.index));
    // A subject not listed is left as it is.
    expect(events.occurredAt[size]).toBe(5);
  });
});
