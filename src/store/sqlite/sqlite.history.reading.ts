import { setImmediate as nextTurn } from "node:timers/promises";
import type Database from "better-sqlite3";
import type { HistoryColumns } from "../history.columns.js";
import type { HistoryQuery } from "../store.js";
import { assembleRange, type RangeSubjects } from "./sqlite.history.assemble.js";
import type { BaseSegmentRow } from "./sqlite.history.base.js";
import {
  type Changes,
  changedEntriesOf,
  noChanges,
  readChanges,
  subjectChangedWithin,
} from "./sqlite.history.changes.js";
import { HistoryRows, type SubjectRange } from "./sqlite.history.packing.js";
import {
  filterQueryEvents,
  QueryDecoder,
  type QueryEvents,
  subjectSlice,
} from "./sqlite.history.query.js";
import { allocateRaw, appendRaw, filterRaw, sortRaw } from "./sqlite.history.raw.js";
import { type RecentSegment, RecentSegments } from "./sqlite.history.recent.js";
import {
  openEntryIds,
  openSegment,
  type SegmentView,
  segmentsReadable,
  subjectSpan,
} from "./sqlite.history.segment.js";

/** Subject ids one range outside the base segments spans at most (the rest follow in others). */
const uncoveredRangeSubjectsMax = 65_536;

type Range = SubjectRange & Readonly<{ base: BaseSegmentRow | undefined }>;
type Copy = Readonly<{
  sealedThrough: number;
  base: readonly BaseSegmentRow[];
  recent: readonly RecentSegment[];
  changes: Changes;
}>;

export type ReadingLimits = Readonly<{
  passEventsMax: number;
  idsPerStatement: number;
  /** A base segment is read in pieces of about this many events (a chunk each). */
  chunkEventsMax: number;
}>;

/**
 * One history query over one snapshot: for each range of subjects (a base segment's, or one
 * past them), the base segment's events, the recent segments' newer ones, and from rows the
 * entries sealed in neither and those changed since they were; less the changed ones' old copies.
 */
export class HistoryReading {
  private readonly rows: HistoryRows;
  private readonly decoder: QueryDecoder;
  private readonly types: readonly string[];
  private readonly regionIndexes = new Map<string, number>();
  private regions: readonly string[] = [];
  private readonly selectBase;
  private readonly selectBaseIds;

  constructor(
    private readonly database: Database.Database,
    query: HistoryQuery,
    private readonly limits: ReadingLimits,
  ) {
    this.rows = new HistoryRows(database);
    const typeRows = database
      .prepare<[], { id: number; type: string }>("SELECT id, type FROM event_types ORDER BY id")
      .all();
    this.types = typeRows.map((row) => row.type);
    const typeIndexOfId = new Int32Array((typeRows.at(-1)?.id ?? 0) + 1).fill(-1);
    typeRows.forEach((row, index) => {
      typeIndexOfId[row.id] = index;
    });
    this.decoder = new QueryDecoder(query, typeIndexOfId);
    this.selectBase = database
      .prepare<[number], Buffer>(
        "SELECT columns FROM history_base_segments WHERE first_subject = ?",
      )
      .pluck();
    this.selectBaseIds = database
      .prepare<[number], Buffer>(
        "SELECT entry_ids FROM history_base_segments WHERE first_subject = ?",
      )
      .pluck();
  }

  names() {
    return { regions: this.regions, types: this.types };
  }

  async *ranges(): AsyncGenerator<HistoryColumns> {
    // Two statements: SQLite answers min() or max() alone from the end of the index.
    const bounds = {
      first: this.database
        .prepare<[], number | null>("SELECT min(internal_id) FROM subjects")
        .pluck()
        .get(),
      last: this.database
        .prepare<[], number | null>("SELECT max(internal_id) FROM subjects")
        .pluck()
        .get(),
    };
    if (bounds.first == null || bounds.last == null) return;
    const copy = this.copy();
    const entryIdMax =
      this.database.prepare<[], number>("SELECT coalesce(max(id), 0) FROM entries").pluck().get() ??
      0;
    const fromRows = entryIdMax - copy.sealedThrough + copy.changes.entries.size;
    const passes = Math.max(1, Math.ceil(fromRows / this.limits.passEventsMax));
    const span = Math.ceil((bounds.last - bounds.first + 1) / passes);
    for (let first = bounds.first; first <= bounds.last; first += span) {
      const pass = { firstSubject: first, endSubject: Math.min(first + span, bounds.last + 1) };
      const overlay = await this.overlay(pass, { ...copy, entryIdMax });
      for (const range of rangesOf(pass, copy.base)) {
        yield* this.assemble(range, overlay, copy);
        // Between ranges, other work (HTTP requests) gets its turn.
        await nextTurn();
      }
    }
  }

  /** The columnar copy's state, segments and change log; nothing copied on a big-endian host. */
  private copy(): Copy {
    if (!segmentsReadable) return { sealedThrough: 0, base: [], recent: [], changes: noChanges };
    const sealedThrough =
      this.database.prepare<[], number>("SELECT sealed_through FROM history_state").pluck().get() ??
      0;
    const base = this.database
      .prepare<[], BaseSegmentRow>(
        `SELECT first_subject, end_subject, sealed_through FROM history_base_segments
         ORDER BY first_subject`,
      )
      .all();
    const recent = new RecentSegments(this.database).list();
    return { sealedThrough, base, recent, changes: readChanges(this.database) };
  }

  /** The pass's entries past the sealed ones and its changed entries, read from rows. */
  private async overlay(
    pass: SubjectRange,
    copy: Readonly<{ sealedThrough: number; entryIdMax: number; changes: Changes }>,
  ): Promise<QueryEvents> {
    let events = allocateRaw(0);
    const step = this.limits.idsPerStatement;
    for (let after = copy.sealedThrough; after < copy.entryIdMax; after += step) {
      const until = Math.min(after + step, copy.entryIdMax);
      events = appendRaw(events, this.rows.idRangeOfSubjects({ after, until, ...pass }));
      await nextTurn();
    }
    const changed = changedEntriesOf(copy.changes, pass).filter((id) => id <= copy.sealedThrough);
    for (let from = 0; from < changed.length; from += step) {
      const current = this.rows.ids(changed.slice(from, from + step));
      const inPass = filterRaw(current, (index) => {
        const subject = current.subjectId[index] as number;
        return subject >= pass.firstSubject && subject < pass.endSubject;
      });
      events = appendRaw(events, inPass);
      await nextTurn();
    }
    return this.decoder.fromRaw(sortRaw(events));
  }

  /** A range's columns, a base segment's in pieces of about `chunkEventsMax` events. */
  private *assemble(
    range: Range,
    overlay: QueryEvents,
    copy: Readonly<{ recent: readonly RecentSegment[]; changes: Changes }>,
  ): Generator<HistoryColumns> {
    if (!range.base) {
      yield this.piece(range, undefined, overlay, copy);
      return;
    }
    const view = openSegment(this.selectBase.get(range.base.first_subject) as Buffer);
    const byEntryId = changedEntriesOf(copy.changes, range).length > 0;
    const entryIds = byEntryId
      ? openEntryIds(this.selectBaseIds.get(range.base.first_subject) as Buffer, view.eventCount)
      : undefined;
    const base = { view, entryIds, sealedThrough: range.base.sealed_through };
    const span = subjectSpan(view, range.firstSubject, range.endSubject);
    let firstSubject = range.firstSubject;
    let from = span.from;
    while (from < span.to) {
      let to = from + 1;
      const limit = (view.offsets[from] as number) + this.limits.chunkEventsMax;
      while (to < span.to && (view.offsets[to + 1] as number) <= limit) to++;
      const endSubject = to < span.to ? (view.subjectIds[to] as number) : range.endSubject;
      yield this.piece({ firstSubject, endSubject, base: range.base }, base, overlay, copy);
      firstSubject = endSubject;
      from = to;
    }
    if (firstSubject < range.endSubject) {
      yield this.piece({ ...range, firstSubject }, base, overlay, copy);
    }
  }

  /**
   * One piece of a range: its base segment's events (less the changed ones), the newer recent
   * segments' (likewise), and those read from rows.
   */
  private piece(
    range: Range,
    base:
      | Readonly<{ view: SegmentView; entryIds: Float64Array | undefined; sealedThrough: number }>
      | undefined,
    overlay: QueryEvents,
    copy: Readonly<{ recent: readonly RecentSegment[]; changes: Changes }>,
  ): HistoryColumns {
    const { changes } = copy;
    const byEntryId = changedEntriesOf(changes, range).length > 0;
    const keep = (part: QueryEvents) =>
      changes.entries.size === 0
        ? part
        : filterQueryEvents(part, (index) => !changes.entries.has(part.entryId?.[index] as number));
    const parts: QueryEvents[] = [];
    let subjects: RangeSubjects | undefined;
    if (base) {
      const span = subjectSpan(base.view, range.firstSubject, range.endSubject);
      const part = this.decoder.fromSegment(base.view, span, base.entryIds);
      parts.push(base.entryIds ? keep(part) : part);
      if (!subjectChangedWithin(changes, range)) {
        subjects = this.segmentSubjects(base.view, span);
      }
    }
    for (const segment of copy.recent) {
      if (segment.firstEntry <= (base?.sealedThrough ?? 0)) continue;
      const span = subjectSpan(segment.view, range.firstSubject, range.endSubject);
      if (span.from === span.to) continue;
      parts.push(keep(this.decoder.fromSegment(segment.view, span, segment.entryIds)));
    }
    parts.push(subjectSlice(overlay, range.firstSubject, range.endSubject));
    return assembleRange(subjects ?? this.rowSubjects(range), parts, byEntryId);
  }

  private segmentSubjects(
    view: SegmentView,
    span: Readonly<{ from: number; to: number }>,
  ): RangeSubjects {
    const global = Int32Array.from(view.regions, (region) => this.regionIndex(region));
    const regionIndex = new Int32Array(span.to - span.from);
    for (let subject = span.from; subject < span.to; subject++) {
      regionIndex[subject - span.from] = global[view.regionIndex[subject] as number] as number;
    }
    return { ids: view.subjectIds.subarray(span.from, span.to), regionIndex };
  }

  private rowSubjects(range: SubjectRange): RangeSubjects {
    const { ids, regions } = this.rows.subjects(range);
    return { ids, regionIndex: Int32Array.from(regions, (region) => this.regionIndex(region)) };
  }

  private regionIndex(region: string): number {
    let index = this.regionIndexes.get(region);
    if (index === undefined) {
      index = this.regionIndexes.size;
      this.regionIndexes.set(region, index);
      // A new array: chunks already handed out keep the names they had.
      this.regions = [...this.regions, region];
    }
    return index;
  }
}

/** The pass's subjects in ranges: each base segment's part, and the ids between in pieces. */
function* rangesOf(pass: SubjectRange, base: readonly BaseSegmentRow[]): Generator<Range> {
  let cursor = pass.firstSubject;
  for (const segment of base) {
    if (segment.end_subject <= cursor) continue;
    if (segment.first_subject >= pass.endSubject) break;
    yield* uncovered(cursor, Math.min(segment.first_subject, pass.endSubject));
    const endSubject = Math.min(segment.end_subject, pass.endSubject);
    yield { firstSubject: Math.max(cursor, segment.first_subject), endSubject, base: segment };
    cursor = endSubject;
  }
  yield* uncovered(cursor, pass.endSubject);
}

function* uncovered(firstSubject: number, endSubject: number): Generator<Range> {
  for (let from = firstSubject; from < endSubject; from += uncoveredRangeSubjectsMax) {
    yield {
      firstSubject: from,
      endSubject: Math.min(from + uncoveredRangeSubjectsMax, endSubject),
      base: undefined,
    };
  }
}
