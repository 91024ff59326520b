import type Database from "better-sqlite3";
import { openEntryIds, openSegment, type SegmentView } from "./sqlite.history.segment.js";

/** A recent segment: the entries with ids in [firstEntry, lastEntry], as sealed. */
export type RecentSegment = Readonly<{
  firstEntry: number;
  lastEntry: number;
  view: SegmentView;
  entryIds: Float64Array;
}>;

/**
 * Recent segments by first entry id. A recent segment never changes once written (its id range
 * is sealed once, and dropped when a round has merged it), so one read can serve many steps.
 */
export type RecentCache = Map<number, RecentSegment>;

/** Reads the recent segments, all of them: the sealer keeps them few (see `SealLimits`). */
export class RecentSegments {
  private readonly selectKeys;
  private readonly selectBlobs;

  constructor(database: Database.Database) {
    this.selectKeys = database.prepare<[], { first_entry: number; last_entry: number }>(
      "SELECT first_entry, last_entry FROM history_recent_segments ORDER BY first_entry",
    );
    this.selectBlobs = database.prepare<[number], { columns: Buffer; entry_ids: Buffer }>(
      "SELECT columns, entry_ids FROM history_recent_segments WHERE first_entry = ?",
    );
  }

  /** In id order, from the cache where it holds them (and into it). */
  list(cache?: RecentCache): RecentSegment[] {
    return this.selectKeys.all().map((key) => {
      const cached = cache?.get(key.first_entry);
      if (cached) return cached;
      const blobs = this.selectBlobs.get(key.first_entry);
      if (!blobs) throw new Error(`recent segment ${key.first_entry} went missing`);
      const view = openSegment(blobs.columns);
      const segment = {
        firstEntry: key.first_entry,
        lastEntry: key.last_entry,
        view,
        entryIds: openEntryIds(blobs.entry_ids, view.eventCount),
      };
      cache?.set(key.first_entry, segment);
      return segment;
    });
  }
}
