import type pg from "pg";
import { countsAt, type StoredStatus } from "../../core/entry.js";
import { type HistoryChunk, standingCode } from "../../core/history.js";
import {
  allocateEvents,
  chunksOf,
  type HistoryColumns,
  sortEachSubjectByTime,
} from "../history.columns.js";
import type { HistoryQuery } from "../store.js";
import { rows } from "./postgres.connection.js";

/**
 * Events one pass holds in memory. A pass reads a run of subjects (as many as hold about this
 * many events at the ledger's average) and their events, in one statement each.
 */
export const historyPassEventsMaxDefault = 262_144;
export const historyChunkEventsMaxDefault = 262_144;
/** Subjects per pass at most, however few events they have. */
export const historyPassSubjectsMax = 100_000;

export type HistoryLimits = Readonly<{ passEventsMax: number }>;

/** One event as the statement returns it (row mode "array": no object per row). */
type EventRow = [
  subjectId: number,
  occurredAt: number,
  typeId: number,
  status: StoredStatus,
  initialStatus: string,
  confidence: number | null,
  points: number,
  effectiveAt: number,
  expiresAt: number,
];

/**
 * The PostgreSQL side of `LedgerStore.history`: one connection in one REPEATABLE READ, READ ONLY
 * transaction for the whole read (one snapshot while writers go on), released when the reader
 * stops, early or not. Standing codes and live points are the core's (`standingCode`,
 * `countsAt`), computed here from the stored status, not restated in SQL.
 */
export class HistoryReader {
  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: HistoryLimits,
  ) {}

  async *read(query: HistoryQuery): AsyncGenerator<HistoryChunk> {
    const chunkEventsMax = query.chunkEventsMax ?? historyChunkEventsMaxDefault;
    if (!Number.isInteger(chunkEventsMax) || chunkEventsMax < 1) {
      throw new Error(`chunkEventsMax must be a positive whole number, not ${chunkEventsMax}`);
    }
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const pass = new PassReader(client, query);
      const subjectsPerPass = await pass.start(this.limits.passEventsMax);
      for (let after = 0; ; ) {
        const columns = await pass.read(after, subjectsPerPass);
        if (!columns) break;
        after = columns.subjects.internalIds.at(-1) as number;
        yield* chunksOf(columns, pass.names(), chunkEventsMax);
      }
    } finally {
      // Read only: ending the transaction either way releases the snapshot, also when the
      // reader stopped early. A connection that cannot end it is discarded, not reused.
      await client.query("ROLLBACK").catch((error: Error) => {
        broken = error;
      });
      client.release(broken);
    }
  }
}

/** Reads the subjects and events of one run of subject ids at a time. */
class PassReader {
  private readonly regionIndexes = new Map<string, number>();
  private regions: readonly string[] = [];
  private types: readonly string[] = [];
  private readonly typeIndexOfId = new Map<number, number>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly query: HistoryQuery,
  ) {}

  /** Reads the type names; returns how many subjects a pass reads. */
  async start(passEventsMax: number): Promise<number> {
    const typeRows = await rows<{ id: number; type: string }>(
      this.client,
      "SELECT id, type FROM event_types ORDER BY id",
    );
    this.types = typeRows.map((type) => type.type);
    typeRows.forEach((type, index) => {
      this.typeIndexOfId.set(type.id, index);
    });
    const [sizes] = await rows<{ subjects: number; entries: number }>(
      this.client,
      `SELECT ${estimate("subjects")} AS subjects, ${estimate("entries")} AS entries`,
    );
    const eventsPerSubject = sizes ? sizes.entries / Math.max(sizes.subjects, 1) : 0;
    const subjects = Math.floor(passEventsMax / Math.max(eventsPerSubject, 1));
    return Math.min(Math.max(subjects, 1), historyPassSubjectsMax);
  }

  names() {
    return { regions: this.regions, types: this.types };
  }

  /** Up to `limit` subjects after `after` and their events, sorted for replay; none: undefined. */
  async read(after: number, limit: number): Promise<HistoryColumns | undefined> {
    const subjectRows = await rows<{ subject_id: number; region: string }>(
      this.client,
      "SELECT subject_id, region FROM subjects WHERE subject_id > $1 ORDER BY subject_id LIMIT $2",
      [after, limit],
    );
    const last = subjectRows.at(-1);
    if (!last) return undefined;
    const count = subjectRows.length;
    const internalIds = new Int32Array(count);
    const regionIndex = new Int32Array(count);
    const positionOf = new Map<number, number>();
    subjectRows.forEach((subject, position) => {
      internalIds[position] = subject.subject_id;
      regionIndex[position] = this.regionIndex(subject.region);
      positionOf.set(subject.subject_id, position);
    });
    const events = await this.client.query<EventRow>({
      text: `SELECT subject_id, occurred_at, type_id, status, initial_status, confidence, points,
          effective_at, expires_at
        FROM entries WHERE subject_id > $1 AND subject_id <= $2 ORDER BY subject_id, id`,
      values: [after, last.subject_id],
      rowMode: "array",
    });
    const columns = this.columns(events.rows, positionOf, { count, internalIds, regionIndex });
    sortEachSubjectByTime(columns);
    return columns;
  }

  private columns(
    eventRows: readonly EventRow[],
    positionOf: ReadonlyMap<number, number>,
    subjects: HistoryColumns["subjects"],
  ): HistoryColumns {
    const events = allocateEvents(eventRows.length);
    const offsets = new Int32Array(subjects.count + 1);
    const { at, confidenceMin } = this.query;
    eventRows.forEach((event, index) => {
      const [subjectId, occurredAt, typeId, status, initialStatus, confidence, points] = event;
      const position = positionOf.get(subjectId);
      const typeIndex = this.typeIndexOfId.get(typeId);
      if (position === undefined) throw new Error(`an entry names subject ${subjectId}, unread`);
      if (typeIndex === undefined) throw new Error(`an entry names unknown event type ${typeId}`);
      const line = { points, status, effectiveAt: event[7], expiresAt: event[8] };
      events.subjectIndex[index] = position;
      events.occurredAt[index] = occurredAt;
      events.typeIndex[index] = typeIndex;
      events.standing[index] = standingCode({
        status,
        confirmed: initialStatus === "pending_review" && status === "effective",
        lowConfidence: confidence !== null && confidence < confidenceMin,
      });
      events.livePoints[index] = countsAt(line, at) ? points : 0;
      offsets[position + 1] = (offsets[position + 1] as number) + 1;
    });
    for (let position = 0; position < subjects.count; position++) {
      offsets[position + 1] = (offsets[position + 1] as number) + (offsets[position] as number);
    }
    return { subjects, offsets, events };
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

/**
 * The planner's row estimate of a table: counting every row would scan it once more. A table
 * never analysed yet (-1) is counted.
 */
function estimate(table: "subjects" | "entries"): string {
  return `(SELECT CASE WHEN reltuples < 0 THEN (SELECT count(*) FROM ${table})
    ELSE reltuples::bigint END FROM pg_class WHERE oid = '${table}'::regclass)`;
}
