import type Database from "better-sqlite3";
import { type Rating, type RatingThresholds, ratingOf } from "../../core/rating.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { Instant } from "../../core/time.js";
import type { RatingChangeCause, RatingChangeRecord, StoredScore } from "../store.js";

export type ScoreState = { score: number; rating: Rating };

/** Subjects re-rated per query when a publication moves the base score or thresholds. */
export const rescoreChunkSubjectsMax = 10_000;

type RatingChangeRow = {
  at: number;
  from_rating: Rating | null;
  to_rating: Rating;
  score: number;
  cause: RatingChangeCause;
};

/**
 * The stored scores and the rating log. Callers hold the write transaction; every score move
 * that changes the rating appends one rating change, so the log's last `to` is the stored rating.
 */
export class ScoreBook {
  private readonly selectScores;
  private readonly selectScore;
  private readonly selectScoreAt;
  private readonly insertScore;
  private readonly updateScore;
  private readonly addToScore;
  private readonly updateRating;
  private readonly insertChange;
  private readonly selectChanges;
  private readonly selectPage;

  constructor(database: Database.Database) {
    this.selectScores = database.prepare<[string], { subject_id: number } & ScoreState>(
      `SELECT subject_id, score, rating FROM scores
       WHERE subject_id IN (SELECT value FROM json_each(?))`,
    );
    this.selectScore = database.prepare<
      [number],
      { score: number; rating: Rating; updated_at: number }
    >("SELECT score, rating, updated_at FROM scores WHERE subject_id = ?");
    // One statement, so one snapshot: the stored score as of the ledger clock, moved by the
    // entries that start or stop counting between the clock and `at` (expiries, mostly).
    // `countsAt` in SQL: effective, effective_at <= t < expires_at. An entry that stopped
    // counting before both times changes nothing, so only later expiries are read. Every entry
    // takes effect at or before the clock (its write moved the clock to its receipt), so after
    // the clock only expiries move a score: when none at all falls due by `at`, which one probe
    // of the expiry index tells, the stored score is the answer and no entry is read.
    this.selectScoreAt = database
      .prepare<{ subject: number; at: Instant }, number>(
        `SELECT s.score + CASE
         WHEN :at >= clock.value AND NOT EXISTS (
           SELECT 1 FROM entries due
           WHERE due.status = 'effective' AND due.points != 0
             AND due.expires_at > clock.value AND due.expires_at <= :at)
         THEN 0
         ELSE coalesce((
           SELECT sum(e.points * (
             (e.effective_at <= :at AND :at < e.expires_at)
             - (e.effective_at <= clock.value AND clock.value < e.expires_at)))
           FROM entries e
           WHERE e.subject_id = s.subject_id AND e.status = 'effective' AND e.points != 0
             AND e.expires_at > min(:at, clock.value)), 0)
         END
       FROM scores s, meta clock
       WHERE s.subject_id = :subject AND clock.key = 'clock'`,
      )
      .pluck();
    this.insertScore = database.prepare<[number, number, Rating, Instant]>(
      "INSERT INTO scores (subject_id, score, rating, updated_at) VALUES (?, ?, ?, ?)",
    );
    this.updateScore = database.prepare<[number, Rating, Instant, number]>(
      "UPDATE scores SET score = ?, rating = ?, updated_at = ? WHERE subject_id = ?",
    );
    // RETURNING shows the new score beside the rating as it was: one statement per subject.
    this.addToScore = database.prepare<[number, Instant, number], ScoreState>(
      `UPDATE scores SET score = score + ?, updated_at = ? WHERE subject_id = ?
       RETURNING score, rating`,
    );
    this.updateRating = database.prepare<[Rating, number]>(
      "UPDATE scores SET rating = ? WHERE subject_id = ?",
    );
    this.insertChange = database.prepare<
      [number, Instant, Rating | null, Rating, number, RatingChangeCause]
    >(
      `INSERT INTO rating_changes (subject_id, at, from_rating, to_rating, score, cause)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.selectPage = database.prepare<[number, number], { subject_id: number } & ScoreState>(
      "SELECT subject_id, score, rating FROM scores WHERE subject_id > ? ORDER BY subject_id LIMIT ?",
    );
    this.selectChanges = database.prepare<[number], RatingChangeRow>(
      `SELECT at, from_rating, to_rating, score, cause FROM rating_changes
       WHERE subject_id = ? ORDER BY id`,
    );
  }

  read(internalIds: Iterable<number>): Map<number, ScoreState> {
    const states = new Map<number, ScoreState>();
    for (const row of this.selectScores.all(JSON.stringify([...internalIds]))) {
      states.set(row.subject_id, { score: row.score, rating: row.rating });
    }
    return states;
  }

  stored(internalId: number): StoredScore | undefined {
    const row = this.selectScore.get(internalId);
    return row && { score: row.score, rating: row.rating, updatedAt: row.updated_at };
  }

  /** The score at `at`, equal to the core's `scoreAt` over the subject's entries, read without them. */
  scoreAt(internalId: number, at: Instant): number | undefined {
    return this.selectScoreAt.get({ subject: internalId, at });
  }

  /** Writes the score, and appends a rating change when `next` rates differently than `previous`. */
  write(
    internalId: number,
    change: Readonly<{
      previous: ScoreState;
      score: number;
      at: Instant;
      cause: RatingChangeCause;
    }>,
    thresholds: RatingThresholds,
  ): ScoreState {
    const rating = ratingOf(change.score, thresholds);
    this.save(internalId, { score: change.score, rating }, change.at);
    if (rating !== change.previous.rating) {
      this.appendChange(internalId, {
        at: change.at,
        from: change.previous.rating,
        to: rating,
        score: change.score,
        cause: change.cause,
      });
    }
    return { score: change.score, rating };
  }

  /** Moves the stored scores of many subjects at once (one UPDATE per subject, not per entry). */
  move(
    deltas: ReadonlyMap<number, number>,
    at: Instant,
    cause: RatingChangeCause,
    thresholds: RatingThresholds,
  ): void {
    for (const [internalId, delta] of deltas) {
      if (delta === 0) continue;
      const moved = this.addToScore.get(delta, at, internalId);
      if (!moved) throw new Error(`no stored score for subject ${internalId}`);
      const rating = ratingOf(moved.score, thresholds);
      if (rating === moved.rating) continue;
      this.updateRating.run(rating, internalId);
      this.appendChange(internalId, {
        at,
        from: moved.rating,
        to: rating,
        score: moved.score,
        cause,
      });
    }
  }

  /** The first stored score of a newly enrolled subject, with its "enrollment" rating change. */
  create(internalId: number, state: ScoreState, at: Instant): void {
    this.insertScore.run(internalId, state.score, state.rating, at);
    this.appendChange(internalId, {
      at,
      from: undefined,
      to: state.rating,
      score: state.score,
      cause: "enrollment",
    });
  }

  /**
   * Moves every stored score by the change of base score and re-rates everyone under the new
   * thresholds, logging a "rulebook" rating change for each subject whose rating moved.
   */
  rescoreAll(change: Readonly<{ previous: Rulebook; next: Rulebook; at: Instant }>): void {
    const delta = change.next.baseScore - change.previous.baseScore;
    const thresholds = change.next.ratingThresholds;
    let after = 0;
    for (;;) {
      const page = this.selectPage.all(after, rescoreChunkSubjectsMax);
      for (const row of page) {
        const previous = { score: row.score, rating: row.rating };
        if (delta === 0 && ratingOf(row.score, thresholds) === row.rating) continue;
        const score = row.score + delta;
        this.write(
          row.subject_id,
          { previous, score, at: change.at, cause: "rulebook" },
          thresholds,
        );
      }
      const last = page.at(-1);
      if (!last) break;
      after = last.subject_id;
    }
  }

  /** Overwrites a stored score; the caller has logged any rating change. */
  save(internalId: number, state: ScoreState, at: Instant): void {
    this.updateScore.run(state.score, state.rating, at, internalId);
  }

  appendChange(internalId: number, change: RatingChangeRecord): void {
    this.insertChange.run(
      internalId,
      change.at,
      change.from ?? null,
      change.to,
      change.score,
      change.cause,
    );
  }

  changes(internalId: number): RatingChangeRecord[] {
    return this.selectChanges.all(internalId).map((row) => ({
      at: row.at,
      from: row.from_rating ?? undefined,
      to: row.to_rating,
      score: row.score,
      cause: row.cause,
    }));
  }
}
