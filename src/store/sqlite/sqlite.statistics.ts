import type Database from "better-sqlite3";
import { type Rating, ratings } from "../../core/rating.js";
import type { Instant } from "../../core/time.js";
import type { Statistics } from "../access.store.js";
import {
  compareText,
  type RatingMoveRow,
  ratingsOverTimeOf,
  sampleGrid,
} from "../ratings-over-time.js";

type RatingRow = { region: string; rating: Rating; subjects: number };
type TypeRow = { type: string; entries: number; points: number };
type SourceRow = { source: string; entries: number; appeals: number; reversed: number };

/**
 * Aggregate figures for the operators and the public. Each query reads a whole table (the
 * scores, the entries, the rating log): run them in one read transaction, outside the write lock.
 */
export class StatisticsReader {
  private readonly selectRatings;
  private readonly selectTypes;
  private readonly selectSources;
  private readonly selectMoves;

  constructor(database: Database.Database) {
    this.selectRatings = database.prepare<[], RatingRow>(
      `SELECT subject.region, score.rating, count(*) AS subjects
       FROM scores score JOIN subjects subject ON subject.internal_id = score.subject_id
       GROUP BY subject.region, score.rating`,
    );
    // Aggregated by type id first: joined row by row, the planner scanned the entries once per
    // event type.
    this.selectTypes = database.prepare<[Instant, Instant, Instant], TypeRow>(
      `SELECT event_type.type, per_type.entries, per_type.points
       FROM (SELECT e.type_id, count(*) AS entries,
           coalesce(sum(CASE WHEN e.status = 'effective' AND e.effective_at <= ? AND ? < e.expires_at
             THEN e.points ELSE 0 END), 0) AS points
         FROM entries e WHERE e.received_at <= ? GROUP BY e.type_id) per_type
       JOIN event_types event_type ON event_type.id = per_type.type_id
       ORDER BY event_type.type`,
    );
    this.selectSources = database.prepare<[Instant, Instant, Instant], SourceRow>(
      `SELECT source.name AS source, coalesce(recorded.entries, 0) AS entries,
         coalesce(contested.appeals, 0) AS appeals, coalesce(contested.reversed, 0) AS reversed
       FROM sources source
       LEFT JOIN (SELECT source_id, count(*) AS entries FROM entries WHERE received_at <= ?
         GROUP BY source_id) recorded ON recorded.source_id = source.id
       LEFT JOIN (SELECT e.source_id, count(*) AS appeals,
           sum(appeal.outcome = 'reversed' AND appeal.decided_at <= ?) AS reversed
         FROM appeals appeal JOIN entries e ON e.id = appeal.entry_id
         WHERE appeal.opened_at <= ? GROUP BY e.source_id) contested
         ON contested.source_id = source.id
       ORDER BY source.name`,
    );
    // One scan of the rating log, in any order, grouped into a few rows (see `RatingMoveRow`).
    // `point` comes from integer division: the first point and the step are bound as bigints,
    // since better-sqlite3 binds numbers as REAL.
    this.selectMoves = database.prepare<[bigint, bigint, bigint, Instant], RatingMoveRow>(
      `SELECT subject.region, change.from_rating, change.to_rating,
         (max(change.at - ?, 0) + ? - 1) / ? AS point, count(*) AS subjects
       FROM rating_changes change JOIN subjects subject ON subject.internal_id = change.subject_id
       WHERE change.at <= ?
       GROUP BY subject.region, change.from_rating, change.to_rating, point`,
    );
  }

  /** See `AccessStore.statistics`; the caller has advanced the ledger clock to `at`. */
  read(at: Instant, overTime: boolean): Statistics {
    const ratingsByRegion = this.selectRatings
      .all()
      .sort(
        (left, right) =>
          compareText(left.region, right.region) ||
          ratings.indexOf(left.rating) - ratings.indexOf(right.rating),
      );
    return {
      ratingsByRegion,
      ratingsOverTime: overTime ? this.ratingsOverTime(at) : { points: [], series: [] },
      entriesByType: this.selectTypes.all(at, at, at),
      appealsBySource: this.selectSources.all(at, at, at),
    };
  }

  /** See `Statistics.ratingsOverTime`. */
  private ratingsOverTime(at: Instant): Statistics["ratingsOverTime"] {
    const grid = sampleGrid(at);
    const step = BigInt(grid.step);
    return ratingsOverTimeOf(this.selectMoves.all(BigInt(grid.first), step, step, at), grid);
  }
}
