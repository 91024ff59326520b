import type Database from "better-sqlite3";
import {
  type Changes,
  changedEntriesOf,
  readChanges,
  subjectChangedWithin,
  within,
} from "./sqlite.history.changes.js";
import { HistoryRows, type SubjectRange, type SubjectRows } from "./sqlite.history.packing.js";
import {
  allocateRaw,
  appendRaw,
  filterRaw,
  mergeRaw,
  type RawEvents,
  sliceRaw,
  sortRaw,
} from "./sqlite.history.raw.js";
import { type RecentCache, RecentSegments } from "./sqlite.history.recent.js";
import {
  decodeRaw,
  encodeSegment,
  openEntryIds,
  openSegment,
  subjectSpan,
} from "./sqlite.history.segment.js";

/** What a round step needs to know of the round (see `HistoryState`). */
export type Round = Readonly<{
  round: number;
  /** The round merges the recent segments sealed through this entry id. */
  entriesThrough: number;
  /** Subject ids the base covers, and up to where the round extends it. */
  subjectsEnd: number;
  roundSubjectsEnd: number;
}>;

export type BaseLimits = Readonly<{ baseSegmentEvents: number; baseSegmentSubjectsMax: number }>;

export type BaseSegmentRow = Readonly<{
  first_subject: number;
  end_subject: number;
  sealed_through: number;
}>;

type Piece = SubjectRange & Readonly<{ events: RawEvents; subjects: SubjectRows }>;

/**
 * Writes base segments: one range of subjects each, holding every entry of its subjects sealed
 * through the round's id, so that a replay reads a subject's events from one place.
 */
export class BaseSegmentWriter {
  private readonly rows: HistoryRows;
  private readonly recent: RecentSegments;
  private readonly statements;

  constructor(
    private readonly database: Database.Database,
    private readonly limits: BaseLimits,
  ) {
    this.rows = new HistoryRows(database);
    this.recent = new RecentSegments(database);
    this.statements = {
      blobs: database.prepare<[number], { columns: Buffer; entry_ids: Buffer }>(
        "SELECT columns, entry_ids FROM history_base_segments WHERE first_subject = ?",
      ),
      delete: database.prepare<[number]>(
        "DELETE FROM history_base_segments WHERE first_subject = ?",
      ),
      insert: database.prepare<[number, number, number, number, number, Buffer, Buffer]>(
        `INSERT INTO history_base_segments
           (first_subject, end_subject, sealed_through, round, events, columns, entry_ids)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    } as const;
  }

  /** Rebuilds one base segment with the round's recent segments and the logged changes. */
  rebuild(round: Round, base: BaseSegmentRow, cache: RecentCache | undefined): void {
    const blobs = this.statements.blobs.get(base.first_subject);
    if (!blobs) throw new Error(`base segment ${base.first_subject} went missing`);
    const view = openSegment(blobs.columns);
    const entryIds = openEntryIds(blobs.entry_ids, view.eventCount);
    const changes = readChanges(this.database);
    const decoded = decodeRaw(view, entryIds, { from: 0, to: view.subjectCount });
    const own = filterRaw(
      decoded,
      (index) => !changes.entries.has(decoded.entryId[index] as number),
    );
    const range = { firstSubject: base.first_subject, endSubject: base.end_subject };
    const others = this.gather(round, range, base.sealed_through, changes, cache);
    const subjects = subjectChangedWithin(changes, range)
      ? this.rows.subjects(range)
      : {
          ids: view.subjectIds,
          regions: Array.from(view.regionIndex, (index) => view.regions[index] as string),
        };
    this.statements.delete.run(base.first_subject);
    this.write(round, range, mergeRaw(own, sortRaw(others)), subjects);
  }

  /**
   * Covers the next subject ids past the base with a new base segment of about
   * `baseSegmentEvents` events; returns where the base now ends.
   */
  extend(round: Round, cache: RecentCache | undefined): number {
    const firstSubject = round.subjectsEnd;
    const spanEnd = Math.min(
      round.roundSubjectsEnd,
      firstSubject + this.limits.baseSegmentSubjectsMax,
    );
    const counts = new Int32Array(spanEnd - firstSubject);
    for (const { view, lastEntry } of this.recent.list(cache)) {
      if (lastEntry > round.entriesThrough) continue;
      const span = subjectSpan(view, firstSubject, spanEnd);
      for (let subject = span.from; subject < span.to; subject++) {
        const offset = (view.subjectIds[subject] as number) - firstSubject;
        const events = (view.offsets[subject + 1] as number) - (view.offsets[subject] as number);
        counts[offset] = (counts[offset] as number) + events;
      }
    }
    let endSubject = firstSubject;
    for (
      let events = 0;
      endSubject < spanEnd && events < this.limits.baseSegmentEvents;
      endSubject++
    ) {
      events += counts[endSubject - firstSubject] as number;
    }
    const range = { firstSubject, endSubject };
    const gathered = this.gather(round, range, 0, readChanges(this.database), cache);
    this.write(round, range, sortRaw(gathered), this.rows.subjects(range));
    return endSubject;
  }

  /**
   * The events of a range of subjects that its base segment (sealed through
   * `baseSealedThrough`) lacks and the round merges: the recent segments' less the changed
   * entries, and the changed entries read again from their rows.
   */
  private gather(
    round: Round,
    range: SubjectRange,
    baseSealedThrough: number,
    changes: Changes,
    cache: RecentCache | undefined,
  ): RawEvents {
    let events = allocateRaw(0);
    for (const segment of this.recent.list(cache)) {
      if (segment.firstEntry <= baseSealedThrough || segment.lastEntry > round.entriesThrough) {
        continue;
      }
      const span = subjectSpan(segment.view, range.firstSubject, range.endSubject);
      const decoded = decodeRaw(segment.view, segment.entryIds, span);
      const kept = filterRaw(
        decoded,
        (index) => !changes.entries.has(decoded.entryId[index] as number),
      );
      events = appendRaw(events, kept);
    }
    const reread = changedEntriesOf(changes, range).filter((id) => id <= round.entriesThrough);
    if (reread.length > 0) {
      const current = this.rows.ids(reread);
      const inRange = filterRaw(current, (index) =>
        within(current.subjectId[index] as number, range),
      );
      events = appendRaw(events, inRange);
    }
    return events;
  }

  /** Writes the range's events as one base segment, or several when it grew too large. */
  private write(round: Round, range: SubjectRange, events: RawEvents, subjects: SubjectRows): void {
    for (const piece of this.cut(events, subjects, range)) {
      const encoded = encodeSegment(piece.events, piece.subjects);
      this.statements.insert.run(
        piece.firstSubject,
        piece.endSubject,
        round.entriesThrough,
        round.round,
        encoded.events,
        encoded.columns,
        encoded.entryIds,
      );
    }
  }

  /** The range in pieces of about `baseSegmentEvents` events once it holds twice that. */
  private cut(events: RawEvents, subjects: SubjectRows, range: SubjectRange): Piece[] {
    const { baseSegmentEvents, baseSegmentSubjectsMax } = this.limits;
    const narrow = range.endSubject - range.firstSubject <= baseSegmentSubjectsMax;
    if (events.length <= 2 * baseSegmentEvents && narrow) return [{ ...range, events, subjects }];
    const pieces: Piece[] = [];
    let firstSubject = range.firstSubject;
    let subjectFrom = 0;
    let eventFrom = 0;
    const piece = (endSubject: number, subjectTo: number, eventTo: number) => {
      pieces.push({
        firstSubject,
        endSubject,
        events: sliceRaw(events, eventFrom, eventTo),
        subjects: {
          ids: subjects.ids.slice(subjectFrom, subjectTo),
          regions: subjects.regions.slice(subjectFrom, subjectTo),
        },
      });
      firstSubject = endSubject;
      subjectFrom = subjectTo;
      eventFrom = eventTo;
    };
    let event = 0;
    for (let subject = 0; subject + 1 < subjects.ids.length; subject++) {
      const id = subjects.ids[subject] as number;
      while (event < events.length && (events.subjectId[event] as number) <= id) event++;
      const full =
        event - eventFrom >= baseSegmentEvents || id + 1 - firstSubject >= baseSegmentSubjectsMax;
      if (full) piece(id + 1, subject + 1, event);
    }
    piece(range.endSubject, subjects.ids.length, events.length);
    return pieces;
  }
}
