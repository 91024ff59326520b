import { type Rating, ratings } from "../../core/rating.js";
import type { Instant } from "../../core/time.js";
import type { Statistics } from "../access.store.js";
import {
  compareText,
  type RatingMoveRow,
  ratingsOverTimeOf,
  sampleGrid,
} from "../ratings-over-time.js";
import { rows, type Sql } from "./postgres.connection.js";

type RatingRow = { region: string; rating: Rating; subjects: number };
type TypeRow = { type: string; entries: number; points: number };
type SourceRow = { source: string; entries: number; appeals: number; reversed: number };

/**
 * Aggregate figures for the operators and the public. Each query reads a whole table (the
 * scores, the entries): the caller runs them in one read-only snapshot, outside the ledger lock.
 * Names sort by code unit (COLLATE "C"), as SQLite's default collation does.
 */
export class StatisticsReader {
  /** See `AccessStore.statistics`; the caller has advanced the ledger clock to `at`. */
  async read(sql: Sql, at: Instant, overTime: boolean): Promise<Statistics> {
    const ratingsByRegion = await rows<RatingRow>(
      sql,
      `SELECT subject.region, score.rating, count(*) AS subjects
       FROM scores score JOIN subjects subject ON subject.subject_id = score.subject_id
       GROUP BY subject.region, score.rating`,
    );
    ratingsByRegion.sort(
      (left, right) =>
        compareText(left.region, right.region) ||
        ratings.indexOf(left.rating) - ratings.indexOf(right.rating),
    );
    // Aggregated by type id first, then named: one pass over the entries.
    const entriesByType = await rows<TypeRow>(
      sql,
      `SELECT event_type.type, per_type.entries, per_type.points
       FROM (SELECT e.type_id, count(*) AS entries,
           coalesce(sum(e.points) FILTER (WHERE e.status = 'effective'
             AND e.effective_at <= $1 AND $1 < e.expires_at), 0)::bigint AS points
         FROM entries e WHERE e.received_at <= $1 GROUP BY e.type_id) per_type
       JOIN event_types event_type ON event_type.id = per_type.type_id
       ORDER BY event_type.type COLLATE "C"`,
      [at],
    );
    const appealsBySource = await rows<SourceRow>(
      sql,
      `SELECT source.name AS source, coalesce(recorded.entries, 0) AS entries,
         coalesce(contested.appeals, 0) AS appeals, coalesce(contested.reversed, 0) AS reversed
       FROM sources source
       LEFT JOIN (SELECT source_id, count(*) AS entries FROM entries WHERE received_at <= $1
         GROUP BY source_id) recorded ON recorded.source_id = source.id
       LEFT JOIN (SELECT e.source_id, count(*) AS appeals,
           count(*) FILTER (WHERE appeal.outcome = 'reversed' AND appeal.decided_at <= $1)
             AS reversed
         FROM appeals appeal
         JOIN entries e ON e.subject_id = appeal.subject_id AND e.id = appeal.entry_id
         WHERE appeal.opened_at <= $1 GROUP BY e.source_id) contested
         ON contested.source_id = source.id
       ORDER BY source.name COLLATE "C"`,
      [at],
    );
    const ratingsOverTime = overTime
      ? await this.ratingsOverTime(sql, at)
      : { points: [], series: [] };
    return { ratingsByRegion, ratingsOverTime, entriesByType, appealsBySource };
  }

  /** See `Statistics.ratingsOverTime`: the moves counted here, added up by the shared code. */
  private async ratingsOverTime(sql: Sql, at: Instant): Promise<Statistics["ratingsOverTime"]> {
    const grid = sampleGrid(at);
    const moves = await rows<RatingMoveRow>(
      sql,
      `SELECT subject.region, change.from_rating, change.to_rating,
         (greatest(change.at - $1, 0) + $2 - 1) / $2 AS point, count(*) AS subjects
       FROM rating_changes change JOIN subjects subject ON subject.subject_id = change.subject_id
       WHERE change.at <= $3
       GROUP BY subject.region, change.from_rating, change.to_rating, point`,
      [grid.first, grid.step, at],
    );
    return ratingsOverTimeOf(moves, grid);
  }
}
