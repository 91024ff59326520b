import { allocateEvents, type HistoryColumns, sortSubjectsByTime } from "../history.columns.js";
import type { QueryEvents } from "./sqlite.history.query.js";

/** The subjects of one range, ascending, each with its region's index in the read's names. */
export type RangeSubjects = Readonly<{ ids: Int32Array; regionIndex: Int32Array }>;

const noPart = -1;
const severalParts = -2;

/**
 * The history columns of one range of subjects from its parts, each grouped by subject and
 * sorted by (time, entry id) within a subject: the base segment's events, then the recent
 * segments' in id order, then those read from rows. A subject with events from one part keeps
 * that part's order; one with events from several is sorted again, by (time, entry id) when
 * `byEntryId` (every part then has its ids), else by time with equal times in part order (the
 * parts' entry ids ascend in that order when nothing was re-added out of it).
 */
export function assembleRange(
  subjects: RangeSubjects,
  parts: readonly QueryEvents[],
  byEntryId: boolean,
): HistoryColumns {
  const filled = parts.filter((part) => part.length > 0);
  const subjectColumns = {
    count: subjects.ids.length,
    internalIds: subjects.ids,
    regionIndex: subjects.regionIndex,
  };
  const only = filled[0];
  if (filled.length === 1 && only && sameSubjects(only.subjects, subjects.ids)) {
    // The common case, a base segment and nothing since: its columns as they are.
    let subjectIndex = only.subjectIndex;
    if (!subjectIndex) {
      subjectIndex = new Int32Array(only.length);
      for (let subject = 0; subject < subjects.ids.length; subject++) {
        const end = only.offsets[subject + 1] as number;
        for (let event = only.offsets[subject] as number; event < end; event++) {
          subjectIndex[event] = subject;
        }
      }
    }
    return {
      subjects: subjectColumns,
      offsets: only.offsets,
      events: {
        length: only.length,
        subjectIndex,
        typeIndex: only.typeIndex,
        occurredAt: only.occurredAt,
        standing: only.standing,
        livePoints: only.livePoints,
      },
    };
  }
  return merged(subjectColumns, filled, byEntryId);
}

function merged(
  subjects: HistoryColumns["subjects"],
  parts: readonly QueryEvents[],
  byEntryId: boolean,
): HistoryColumns {
  const positions = parts.map((part) => positionsOf(subjects.internalIds, part.subjects));
  const offsets = new Int32Array(subjects.count + 1);
  const lastPart = new Int32Array(subjects.count).fill(noPart);
  const mixed: number[] = [];
  parts.forEach((part, index) => {
    const partPositions = positions[index] as Int32Array;
    for (let subject = 0; subject < part.subjects.length; subject++) {
      const events = (part.offsets[subject + 1] as number) - (part.offsets[subject] as number);
      if (events === 0) continue;
      const position = partPositions[subject] as number;
      offsets[position + 1] = (offsets[position + 1] as number) + events;
      const last = lastPart[position] as number;
      if (last === noPart) lastPart[position] = index;
      else if (last !== index && last !== severalParts) {
        mixed.push(position);
        lastPart[position] = severalParts;
      }
    }
  });
  for (let index = 1; index < offsets.length; index++) {
    offsets[index] = (offsets[index] as number) + (offsets[index - 1] as number);
  }
  const events = allocateEvents(offsets[subjects.count] as number);
  const entryIds = byEntryId ? new Float64Array(events.length) : undefined;
  const next = offsets.slice(0, subjects.count);
  parts.forEach((part, index) => {
    if (byEntryId && !part.entryId) throw new Error("a history part lacks its entry ids");
    copyPart(part, positions[index] as Int32Array, next, { ...events, entryIds });
  });
  const columns = { subjects, offsets, events };
  // In position order: the runs are then sorted front to back through memory.
  sortSubjectsByTime(
    columns,
    mixed.sort((left, right) => left - right),
    entryIds,
  );
  return columns;
}

/** Copies each subject's run of a part to the next free places of its range position. */
function copyPart(
  part: QueryEvents,
  positions: Int32Array,
  next: Int32Array,
  into: HistoryColumns["events"] & Readonly<{ entryIds: Float64Array | undefined }>,
): void {
  const { offsets, typeIndex, occurredAt, standing, livePoints, entryId } = part;
  const { entryIds } = into;
  const toSubject = into.subjectIndex;
  const toType = into.typeIndex;
  const toTime = into.occurredAt;
  const toStanding = into.standing;
  const toPoints = into.livePoints;
  const subjectCount = part.subjects.length;
  for (let subject = 0; subject < subjectCount; subject++) {
    const from = offsets[subject] as number;
    const to = offsets[subject + 1] as number;
    if (from === to) continue;
    const position = positions[subject] as number;
    const start = next[position] as number;
    next[position] = start + to - from;
    for (let event = from, place = start; event < to; event++, place++) {
      toSubject[place] = position;
      toType[place] = typeIndex[event] as number;
      toTime[place] = occurredAt[event] as number;
      toStanding[place] = standing[event] as number;
      toPoints[place] = livePoints[event] as number;
    }
    if (entryIds && entryId) {
      for (let event = from, place = start; event < to; event++, place++) {
        entryIds[place] = entryId[event] as number;
      }
    }
  }
}

/** Each part subject's position in the range; every one must be listed (both lists ascend). */
function positionsOf(ids: Int32Array, partSubjects: Int32Array): Int32Array {
  const positions = new Int32Array(partSubjects.length);
  let position = 0;
  for (let subject = 0; subject < partSubjects.length; subject++) {
    const id = partSubjects[subject] as number;
    while (position < ids.length && (ids[position] as number) < id) position++;
    if (ids[position] !== id) {
      throw new Error(`a history event names subject ${id}, who is not in its range`);
    }
    positions[subject] = position;
  }
  return positions;
}

function sameSubjects(left: Int32Array, right: Int32Array): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  if (left.buffer === right.buffer && left.byteOffset === right.byteOffset) return true;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}
