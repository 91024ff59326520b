import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import type { HistoryChunk } from "../../core/history.js";
import { chunksOf, type HistoryColumns, sortEachSubjectByTime } from "../history.columns.js";
import type { HistoryQuery } from "../store.js";
import { busyTimeoutMilliseconds } from "./sqlite.connection.js";
import {
  PackedEvents,
  packedEventBytes,
  selectPackedEvents,
  typeIdLimit,
} from "./sqlite.history.packing.js";

/**
 * Events one pass holds in memory (about 35 bytes each at the peak: the packed rows, grouped,
 * then decoded into columns). A longer history is read in several passes, each a scan of the
 * entries for one range of subjects.
 */
export const historyPassEventsMaxDefault = 8_000_000;
/** Entry ids per statement: bounds one packed blob and the time between two event-loop turns. */
export const historyIdsPerStatement = 65_536;
export const historyChunkEventsMaxDefault = 262_144;
/**
 * The snapshot connection maps up to this much of the file instead of copying page by page (a
 * tenth less CPU on a 10-million-entry scan); SQLite's own ceiling (2 GiB less 64 KiB).
 */
export const historyMmapBytes = 2_147_418_112;

const selectPackedSubjects = `
  SELECT region, count(*) AS subjects,
    unhex(group_concat(printf('%08X', internal_id - @firstSubject), '')) AS packed
  FROM subjects WHERE internal_id >= @firstSubject AND internal_id < @endSubject
  GROUP BY region ORDER BY region`;

type PackedRow = { events: number; packed: Buffer | null };
type SubjectGroupRow = { region: string; subjects: number; packed: Buffer };

export type HistoryLimits = Readonly<{ passEventsMax: number }>;

/** The SQLite side of `LedgerStore.history`. */
export class HistoryReader {
  constructor(
    private readonly database: Database.Database,
    private readonly limits: HistoryLimits,
  ) {}

  async *read(query: HistoryQuery): AsyncGenerator<HistoryChunk> {
    const chunkEventsMax = query.chunkEventsMax ?? historyChunkEventsMaxDefault;
    const snapshot = this.openSnapshot();
    try {
      const pass = new PassReader(snapshot.database, query);
      const bounds = pass.bounds();
      if (!bounds) return;
      const passes = Math.max(1, Math.ceil(bounds.entryIdMax / this.limits.passEventsMax));
      const span = Math.ceil((bounds.lastSubject - bounds.firstSubject + 1) / passes);
      for (let first = bounds.firstSubject; first <= bounds.lastSubject; first += span) {
        const columns = await pass.read(first, Math.min(first + span, bounds.lastSubject + 1));
        yield* chunksOf(columns, pass.names(), chunkEventsMax);
      }
    } finally {
      snapshot.release();
    }
  }

  /**
   * A file database is read through a read-only connection of its own, in one read transaction:
   * one snapshot for the whole replay, while the store's connection goes on writing. An
   * in-memory database has only the store's connection, read statement by statement.
   */
  private openSnapshot(): { database: Database.Database; release: () => void } {
    if (this.database.memory) return { database: this.database, release: () => undefined };
    const reader = new Database(this.database.name, { readonly: true, fileMustExist: true });
    try {
      reader.pragma(`busy_timeout = ${busyTimeoutMilliseconds}`);
      reader.pragma(`mmap_size = ${historyMmapBytes}`);
      reader.exec("BEGIN DEFERRED");
    } catch (error) {
      reader.close();
      throw error;
    }
    return {
      database: reader,
      release: () => {
        if (reader.inTransaction) reader.exec("COMMIT");
        reader.close();
      },
    };
  }
}

/** Reads the subjects and events of one range of subject ids at a time. */
class PassReader {
  private readonly selectEvents;
  private readonly selectSubjects;
  private readonly regionIndexes = new Map<string, number>();
  private regions: readonly string[] = [];
  private readonly types: readonly string[];
  private readonly typeIndexOfId: Int32Array;
  private entryIdMax = 0;

  constructor(
    private readonly database: Database.Database,
    private readonly query: HistoryQuery,
  ) {
    this.selectEvents = database.prepare<Record<string, number>, PackedRow>(selectPackedEvents);
    this.selectSubjects = database.prepare<Record<string, number>, SubjectGroupRow>(
      selectPackedSubjects,
    );
    const typeRows = database
      .prepare<[], { id: number; type: string }>("SELECT id, type FROM event_types ORDER BY id")
      .all();
    const typeIdMax = typeRows.at(-1)?.id ?? 0;
    if (typeIdMax >= typeIdLimit) throw new Error(`event type id ${typeIdMax} is too large`);
    this.types = typeRows.map((row) => row.type);
    this.typeIndexOfId = new Int32Array(typeIdMax + 1).fill(-1);
    typeRows.forEach((row, index) => {
      this.typeIndexOfId[row.id] = index;
    });
  }

  bounds() {
    const subjects = this.database
      .prepare<[], { first: number | null; last: number | null }>(
        "SELECT min(internal_id) AS first, max(internal_id) AS last FROM subjects",
      )
      .get();
    if (subjects?.first == null || subjects.last == null) return undefined;
    this.entryIdMax =
      this.database.prepare<[], number>("SELECT coalesce(max(id), 0) FROM entries").pluck().get() ??
      0;
    return {
      firstSubject: subjects.first,
      lastSubject: subjects.last,
      entryIdMax: this.entryIdMax,
    };
  }

  names() {
    return { regions: this.regions, types: this.types };
  }

  /** The subjects with ids in [firstSubject, endSubject) and their events, sorted for replay. */
  async read(firstSubject: number, endSubject: number): Promise<HistoryColumns> {
    const { subjects, positionOf } = this.readSubjects(firstSubject, endSubject);
    const packed = new PackedEvents(positionOf, subjects.count);
    const parameters = {
      firstSubject,
      endSubject,
      at: this.query.at,
      confidenceMin: this.query.confidenceMin,
      after: 0,
      until: 0,
    };
    for (let after = 0; after < this.entryIdMax; after += historyIdsPerStatement) {
      parameters.after = after;
      parameters.until = after + historyIdsPerStatement;
      const row = this.selectEvents.get(parameters);
      if (row?.packed) {
        if (row.packed.length !== row.events * packedEventBytes) {
          throw new Error(`entries ${after + 1} to ${parameters.until} do not fit the packing`);
        }
        packed.add(row.packed);
      }
      // Between statements, other work (HTTP requests) gets its turn.
      await nextTurn();
    }
    const columns = { subjects, ...packed.columns(this.typeIndexOfId) };
    sortEachSubjectByTime(columns);
    return columns;
  }

  /** The subjects of a range in id order, and each id's position (-1: no such subject). */
  private readSubjects(firstSubject: number, endSubject: number) {
    const regionOfOffset = new Int32Array(endSubject - firstSubject).fill(-1);
    for (const group of this.selectSubjects.all({ firstSubject, endSubject })) {
      const region = this.regionIndex(group.region);
      for (let byte = 0; byte < group.packed.length; byte += 4) {
        regionOfOffset[group.packed.readUInt32BE(byte)] = region;
      }
    }
    const positionOf = new Int32Array(regionOfOffset.length).fill(-1);
    let count = 0;
    regionOfOffset.forEach((region, offset) => {
      if (region >= 0) positionOf[offset] = count++;
    });
    const internalIds = new Int32Array(count);
    const regionIndex = new Int32Array(count);
    positionOf.forEach((position, offset) => {
      if (position < 0) return;
      internalIds[position] = firstSubject + offset;
      regionIndex[position] = regionOfOffset[offset] as number;
    });
    return { subjects: { count, internalIds, regionIndex }, positionOf };
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
