import type Database from "better-sqlite3";
import { type EncodedSegment, SegmentBuilder } from "./sqlite.history.builder.js";
import {
  type Changes,
  changedEntriesOf,
  readChanges,
  subjectChangedWithin,
  within,
} from "./sqlite.history.changes.js";
import { type EventSource, RawSource, SegmentSource, SourceMerge } from "./sqlite.history.merge.js";
import { HistoryRows, type SubjectRange, type SubjectRows } from "./sqlite.history.packing.js";
import { filterRaw, sortRaw } from "./sqlite.history.raw.js";
import { type RecentCache, RecentSegments } from "./sqlite.history.recent.js";
import { openEntryIds, openSegment, subjectSpan } from "./sqlite.history.segment.js";

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

  /**
   * Rebuilds one base segment with the round's recent segments and the logged changes, merged
   * from their encoded columns straight into the new segment (see `SegmentBuilder`).
   */
  rebuild(round: Round, base: BaseSegmentRow, cache: RecentCache | undefined): void {
    const blobs = this.statements.blobs.get(base.first_subject);
    if (!blobs) throw new Error(`base segment ${base.first_subject} went missing`);
    const view = openSegment(blobs.columns);
    const entryIds = openEntryIds(blobs.entry_ids, view.eventCount);
    const changes = readChanges(this.database);
    const own = new SegmentSource(
      view,
      entryIds,
      { from: 0, to: view.subjectCount },
      changes.entries,
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
    this.write(round, range, new SourceMerge([own, ...others]), subjects);
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
    this.write(round, range, new SourceMerge(gathered), this.rows.subjects(range));
    return endSubject;
  }

  /**
   * The events of a range of subjects that its base segment (sealed through
   * `baseSealedThrough`) lacks and the round merges, as sources: the recent segments' less the
   * changed entries, and the changed entries read again from their rows.
   */
  private gather(
    round: Round,
    range: SubjectRange,
    baseSealedThrough: number,
    changes: Changes,
    cache: RecentCache | undefined,
  ): EventSource[] {
    const sources: EventSource[] = [];
    for (const segment of this.recent.list(cache)) {
      if (segment.firstEntry <= baseSealedThrough || segment.lastEntry > round.entriesThrough) {
        continue;
      }
      const span = subjectSpan(segment.view, range.firstSubject, range.endSubject);
      sources.push(new SegmentSource(segment.view, segment.entryIds, span, changes.entries));
    }
    const reread = changedEntriesOf(changes, range).filter((id) => id <= round.entriesThrough);
    if (reread.length > 0) {
      const current = this.rows.ids(reread);
      const inRange = filterRaw(current, (index) =>
        within(current.subjectId[index] as number, range),
      );
      sources.push(new RawSource(sortRaw(inRange)));
    }
    return sources;
  }

  /**
   * Writes the range's events as one base segment, or, once it holds more than twice
   * `baseSegmentEvents` (or spans too many subjects), as pieces of about that many, each built
   * and written before the next is started.
   */
  private write(
    round: Round,
    range: SubjectRange,
    merge: SourceMerge,
    subjects: SubjectRows,
  ): void {
    const { baseSegmentEvents, baseSegmentSubjectsMax } = this.limits;
    const total = merge.remaining;
    const narrow = range.endSubject - range.firstSubject <= baseSegmentSubjectsMax;
    if (total <= 2 * baseSegmentEvents && narrow) {
      const builder = new SegmentBuilder(total);
      merge.moveAll(builder);
      this.insert(round, range, builder.finish(subjects));
      return;
    }
    let firstSubject = range.firstSubject;
    let subjectFrom = 0;
    let builder = new SegmentBuilder(Math.min(total, baseSegmentEvents));
    const piece = (endSubject: number, subjectTo: number) => {
      const encoded = builder.finish({
        ids: subjects.ids.subarray(subjectFrom, subjectTo),
        regions: subjects.regions.slice(subjectFrom, subjectTo),
      });
      this.insert(round, { firstSubject, endSubject }, encoded);
      firstSubject = endSubject;
      subjectFrom = subjectTo;
      builder = new SegmentBuilder(Math.min(merge.remaining, baseSegmentEvents));
    };
    for (let subject = 0; subject + 1 < subjects.ids.length; subject++) {
      const id = subjects.ids[subject] as number;
      merge.moveThrough(id, builder);
      const full =
        builder.length >= baseSegmentEvents || id + 1 - firstSubject >= baseSegmentSubjectsMax;
      if (full) piece(id + 1, subject + 1);
    }
    merge.moveAll(builder);
    piece(range.endSubject, subjects.ids.length);
  }

  private insert(round: Round, range: SubjectRange, encoded: EncodedSegment): void {
    this.statements.insert.run(
      range.firstSubject,
      range.endSubject,
      round.entriesThrough,
      round.round,
      encoded.events,
      encoded.columns,
      encoded.entryIds,
    );
  }
}
