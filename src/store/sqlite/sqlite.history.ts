import Database from "better-sqlite3";
import type { HistoryChunk } from "../../core/history.js";
import { chunksOf } from "../history.columns.js";
import type { HistoryQuery } from "../store.js";
import { busyTimeoutMilliseconds } from "./sqlite.connection.js";
import { HistoryReading } from "./sqlite.history.reading.js";

/**
 * Events read from rows (past the sealed segments, and changed since) that one pass holds in
 * memory. A longer stretch is read in several passes, each for one range of subjects.
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

export type HistoryLimits = Readonly<{ passEventsMax: number }>;

/**
 * The SQLite side of `LedgerStore.history`: the columnar copy's segments (see
 * sqlite.history.seal.ts), with what changed since read from rows.
 */
export class HistoryReader {
  constructor(
    private readonly database: Database.Database,
    private readonly limits: HistoryLimits,
  ) {}

  async *read(query: HistoryQuery): AsyncGenerator<HistoryChunk> {
    const chunkEventsMax = query.chunkEventsMax ?? historyChunkEventsMaxDefault;
    const snapshot = this.openSnapshot();
    try {
      const reading = new HistoryReading(snapshot.database, query, {
        passEventsMax: this.limits.passEventsMax,
        idsPerStatement: historyIdsPerStatement,
        chunkEventsMax,
      });
      for await (const columns of reading.ranges()) {
        yield* chunksOf(columns, reading.names(), chunkEventsMax);
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
