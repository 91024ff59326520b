import type pg from "pg";
import { type Rating, type RatingThresholds, ratingOf } from "../../core/rating.js";
import type { Instant } from "../../core/time.js";
import { row, rows, type Sql } from "./postgres.connection.js";
import type { RatingChangeWrite, ScoreBook, ScoreWrite } from "./postgres.scores.js";

/** Due expiries read per query while sweeping; bounds the rows held in memory at once. */
export const expirySweepChunkRowsMax = 10_000;

type DueRow = { id: number; subject_id: number; expires_at: number; points: number };

/** One subject's running score during a sweep; `at` is the time of the changes not yet rated. */
type Sweeping = { score: number; rating: Rating; at: Instant | undefined };

/**
 * One ledger write: its connection, inside its transaction, and the state the ledger lock
 * guards as this write has moved it (the clock, the last ids handed out, the current rulebook
 * version). Read with the lock, so the write need not read them again.
 */
export type LedgerWrite = {
  readonly sql: pg.PoolClient;
  clock: Instant;
  lastEntryId: number;
  lastSubjectId: number;
  rulebookVersion: number | undefined;
};

/**
 * Opens a transaction and locks the ledger for the rest of it, in one round trip. Every ledger
 * write starts so: writers take turns as SQLite's single writer does, across connections and
 * processes, and each statement after the lock sees every write committed before it (READ
 * COMMITTED). Readers are never blocked.
 */
export const beginLedgerWrite = `BEGIN;
  SELECT clock, last_entry_id, last_subject_id,
    (SELECT max(version) FROM rulebooks) AS rulebook_version
  FROM ledger_state FOR UPDATE`;

export function ledgerWrite(sql: pg.PoolClient, opened: readonly pg.QueryResultRow[]): LedgerWrite {
  const state = opened[0] as
    | {
        clock: number;
        last_entry_id: number;
        last_subject_id: number;
        rulebook_version: number | null;
      }
    | undefined;
  if (!state || opened.length !== 1) throw new Error("the ledger_state row is missing");
  return {
    sql,
    clock: state.clock,
    lastEntryId: state.last_entry_id,
    lastSubjectId: state.last_subject_id,
    rulebookVersion: state.rulebook_version ?? undefined,
  };
}

export async function readClock(sql: Sql): Promise<Instant> {
  const state = await row<{ clock: number }>(sql, "SELECT clock FROM ledger_state");
  if (!state) throw new Error("the ledger_state row is missing");
  return state.clock;
}

/**
 * The ledger clock: stored scores are the scores at this instant. Advancing it applies the
 * expiries that fell due on the way, so an expiry moves the score with no event arriving.
 */
export class LedgerClock {
  constructor(private readonly scores: ScoreBook) {}

  /**
   * Moves the clock to `requested` (never back), subtracting the points of the entries whose
   * expiry falls in (clock, requested], in expiry order per subject, and logging each rating
   * move at the expiry's own time. Returns the clock after the move and how many expired.
   * Runs under the caller's ledger lock; `thresholds` is read only when something expires.
   */
  async advance(
    write: LedgerWrite,
    requested: Instant,
    thresholds: () => Promise<RatingThresholds>,
  ): Promise<{ clock: Instant; expired: number }> {
    if (!Number.isFinite(requested)) throw new Error(`cannot move the clock to ${requested}`);
    const { sql, clock } = write;
    if (requested <= clock) return { clock, expired: 0 };
    const sweeping = new Map<number, Sweeping>();
    const changes: RatingChangeWrite[] = [];
    let expired = 0;
    let after = { at: clock, id: Number.MAX_SAFE_INTEGER };
    for (;;) {
      // The conditions repeat the partial index's WHERE so that the planner uses it.
      const due = await rows<DueRow>(
        sql,
        `SELECT id, subject_id, expires_at, points FROM entries
         WHERE status = 'effective' AND points <> 0
           AND expires_at <= $1 AND (expires_at, id) > ($2, $3)
         ORDER BY expires_at, id LIMIT $4`,
        [requested, after.at, after.id, expirySweepChunkRowsMax],
      );
      if (due.length === 0) break;
      await this.loadMissing(sql, sweeping, due);
      const rated = await thresholds();
      for (const entry of due) {
        const subject = sweeping.get(entry.subject_id) as Sweeping;
        if (subject.at !== undefined && subject.at !== entry.expires_at) {
          rate(entry.subject_id, subject, rated, changes);
        }
        subject.score -= entry.points;
        subject.at = entry.expires_at;
      }
      expired += due.length;
      const last = due.at(-1) as DueRow;
      after = { at: last.expires_at, id: last.id };
    }
    const writes: ScoreWrite[] = [];
    if (sweeping.size > 0) {
      const rated = await thresholds();
      for (const [subjectId, subject] of sweeping) {
        rate(subjectId, subject, rated, changes);
        const state = { score: subject.score, rating: subject.rating };
        writes.push({ subjectId, state, at: subject.at as Instant });
      }
    }
    await this.scores.save(sql, writes);
    await this.scores.appendChanges(sql, changes);
    await sql.query("UPDATE ledger_state SET clock = $1", [requested]);
    write.clock = requested;
    return { clock: requested, expired };
  }

  private async loadMissing(
    sql: Sql,
    sweeping: Map<number, Sweeping>,
    due: readonly DueRow[],
  ): Promise<void> {
    const missing = new Set<number>();
    for (const entry of due) if (!sweeping.has(entry.subject_id)) missing.add(entry.subject_id);
    if (missing.size === 0) return;
    const states = await this.scores.read(sql, missing);
    for (const subjectId of missing) {
      const state = states.get(subjectId);
      if (!state) throw new Error(`entry of subject ${subjectId}, who has no stored score`);
      sweeping.set(subjectId, { ...state, at: undefined });
    }
  }
}

/** Logs a rating change at the time of the subject's pending expiries, if the rating moved. */
function rate(
  subjectId: number,
  subject: Sweeping,
  thresholds: RatingThresholds,
  changes: RatingChangeWrite[],
): void {
  const rating = ratingOf(subject.score, thresholds);
  if (rating === subject.rating) return;
  changes.push({
    subjectId,
    change: {
      at: subject.at as Instant,
      from: subject.rating,
      to: rating,
      score: subject.score,
      cause: "expiry",
    },
  });
  subject.rating = rating;
}
