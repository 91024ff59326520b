import type Database from "better-sqlite3";
import { type Rating, type RatingThresholds, ratingOf } from "../../core/rating.js";
import type { Instant } from "../../core/time.js";
import type { ScoreBook } from "./sqlite.scores.js";

/** Due expiries read per query while sweeping; bounds the rows held in memory at once. */
export const expirySweepChunkRowsMax = 10_000;

type DueRow = { id: number; subject_id: number; expires_at: number; points: number };

/** One subject's running score during a sweep; `at` is the time of the changes not yet rated. */
type Sweeping = { score: number; rating: Rating; at: Instant | undefined };

/**
 * The ledger clock: stored scores are the scores at this instant. Advancing it applies the
 * expiries that fell due on the way, so an expiry moves the score with no event arriving.
 */
export class LedgerClock {
  private readonly selectClock;
  private readonly updateClock;
  private readonly selectDue;

  constructor(
    database: Database.Database,
    private readonly scores: ScoreBook,
  ) {
    this.selectClock = database
      .prepare<[], number>("SELECT value FROM meta WHERE key = 'clock'")
      .pluck();
    this.updateClock = database.prepare<[Instant]>("UPDATE meta SET value = ? WHERE key = 'clock'");
    // The conditions repeat the partial index's WHERE so that the planner uses it.
    this.selectDue = database.prepare<[Instant, Instant, number, number], DueRow>(
      `SELECT id, subject_id, expires_at, points FROM entries
       WHERE status = 'effective' AND points != 0
         AND expires_at <= ? AND (expires_at, id) > (?, ?)
       ORDER BY expires_at, id LIMIT ?`,
    );
  }

  read(): Instant {
    const clock = this.selectClock.get();
    if (clock === undefined) throw new Error("the ledger clock is missing from meta");
    return clock;
  }

  /**
   * Moves the clock to `requested` (never back), subtracting the points of the entries whose
   * expiry falls in (clock, requested], in expiry order per subject, and logging each rating
   * move at the expiry's own time. Returns the clock after the move and how many expired.
   * Runs inside the caller's write transaction; `thresholds` is read only when something expires.
   */
  advance(
    requested: Instant,
    thresholds: () => RatingThresholds,
  ): { clock: Instant; expired: number } {
    if (!Number.isFinite(requested)) throw new Error(`cannot move the clock to ${requested}`);
    const clock = this.read();
    if (requested <= clock) return { clock, expired: 0 };
    const sweeping = new Map<number, Sweeping>();
    let expired = 0;
    let after = { at: clock, id: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const rows = this.selectDue.all(requested, after.at, after.id, expirySweepChunkRowsMax);
      if (rows.length === 0) break;
      this.loadMissing(sweeping, rows);
      for (const row of rows) {
        const subject = sweeping.get(row.subject_id) as Sweeping;
        if (subject.at !== undefined && subject.at !== row.expires_at) {
          this.rate(row.subject_id, subject, thresholds());
        }
        subject.score -= row.points;
        subject.at = row.expires_at;
      }
      expired += rows.length;
      const last = rows.at(-1) as DueRow;
      after = { at: last.expires_at, id: last.id };
    }
    for (const [internalId, subject] of sweeping) {
      const at = subject.at as Instant;
      this.rate(internalId, subject, thresholds());
      this.scores.save(internalId, { score: subject.score, rating: subject.rating }, at);
    }
    this.updateClock.run(requested);
    return { clock: requested, expired };
  }

  private loadMissing(sweeping: Map<number, Sweeping>, rows: readonly DueRow[]): void {
    const missing = new Set<number>();
    for (const row of rows) if (!sweeping.has(row.subject_id)) missing.add(row.subject_id);
    if (missing.size === 0) return;
    const states = this.scores.read(missing);
    for (const internalId of missing) {
      const state = states.get(internalId);
      if (!state) throw new Error(`entry of subject ${internalId}, who has no stored score`);
      sweeping.set(internalId, { ...state, at: undefined });
    }
  }

  /** Logs a rating change at the time of the subject's pending expiries, if the rating moved. */
  private rate(internalId: number, subject: Sweeping, thresholds: RatingThresholds): void {
    const rating = ratingOf(subject.score, thresholds);
    if (rating !== subject.rating) {
      this.scores.appendChange(internalId, {
        at: subject.at as Instant,
        from: subject.rating,
        to: rating,
        score: subject.score,
        cause: "expiry",
      });
      subject.rating = rating;
    }
  }
}
