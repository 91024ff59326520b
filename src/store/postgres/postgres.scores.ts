import { type Rating, type RatingThresholds, ratingOf } from "../../core/rating.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { Instant } from "../../core/time.js";
import type { RatingChangeCause, RatingChangeRecord, StoredScore } from "../store.js";
import { arrayParameter, row, rows, type Sql } from "./postgres.connection.js";

export type ScoreState = { score: number; rating: Rating };

/** Subjects re-rated per statement when a publication moves the base score or thresholds. */
export const rescoreChunkSubjectsMax = 10_000;

/** A score to store, with its subject. */
export type ScoreWrite = Readonly<{ subjectId: number; state: ScoreState; at: Instant }>;
/** A rating change to append, with its subject. */
export type RatingChangeWrite = Readonly<{ subjectId: number; change: RatingChangeRecord }>;
/** When and why scores move, and the thresholds that rate them. */
export type ScoreChange = Readonly<{
  at: Instant;
  cause: RatingChangeCause;
  thresholds: RatingThresholds;
}>;

type RatingChangeRow = {
  at: number;
  from_rating: Rating | null;
  to_rating: Rating;
  score: number;
  cause: RatingChangeCause;
};

/**
 * The stored scores and the rating log. Callers hold the ledger lock, so what they read stays
 * true until they write it; every score move that changes the rating appends one rating change,
 * so the log's last `to` is the stored rating.
 * Each method is a fixed number of statements, however many subjects it moves.
 */
export class ScoreBook {
  async read(sql: Sql, subjectIds: Iterable<number>): Promise<Map<number, ScoreState>> {
    const found = await rows<{ subject_id: number } & ScoreState>(
      sql,
      "SELECT subject_id, score, rating FROM scores WHERE subject_id = ANY($1::bigint[])",
      [arrayParameter([...subjectIds])],
    );
    return new Map(
      found.map((score) => [score.subject_id, { score: score.score, rating: score.rating }]),
    );
  }

  async stored(sql: Sql, subjectIds: readonly number[]): Promise<Map<number, StoredScore>> {
    const found = await rows<{ subject_id: number; updated_at: number } & ScoreState>(
      sql,
      `SELECT subject_id, score, rating, updated_at FROM scores
       WHERE subject_id = ANY($1::bigint[])`,
      [subjectIds],
    );
    return new Map(
      found.map((score) => [
        score.subject_id,
        { score: score.score, rating: score.rating, updatedAt: score.updated_at },
      ]),
    );
  }

  /** The score at `at`, equal to the core's `scoreAt` over the subject's entries (see `scoreAtSql`). */
  async scoreAt(sql: Sql, subjectId: number, at: Instant): Promise<number | undefined> {
    const found = await row<{ score: number | null }>(
      sql,
      `SELECT ${scoreAtSql("$1", "$2::bigint")} AS score`,
      [subjectId, at],
    );
    return found?.score ?? undefined;
  }

  /**
   * Moves the stored scores of many subjects at once: one SELECT of their scores, then one
   * UPDATE writing each new score with its rating (one new row version per subject, however
   * many entries moved it) and one INSERT for the ratings that moved.
   */
  async move(sql: Sql, deltas: ReadonlyMap<number, number>, change: ScoreChange): Promise<void> {
    const moving = [...deltas.keys()].filter((subjectId) => deltas.get(subjectId) !== 0);
    if (moving.length === 0) return;
    const { writes, changes } = this.plan(await this.read(sql, moving), deltas, change);
    await this.save(sql, writes);
    await this.appendChanges(sql, changes);
  }

  /**
   * The score writes and rating changes that move `current` (read in the caller's ledger write)
   * by `deltas`; a subject whose delta is 0 is left alone. Writes nothing.
   */
  plan(
    current: ReadonlyMap<number, ScoreState>,
    deltas: ReadonlyMap<number, number>,
    change: ScoreChange,
  ): { writes: ScoreWrite[]; changes: RatingChangeWrite[] } {
    const writes: ScoreWrite[] = [];
    const changes: RatingChangeWrite[] = [];
    for (const [subjectId, delta] of deltas) {
      if (delta === 0) continue;
      const previous = current.get(subjectId);
      if (!previous) throw new Error(`no stored score for subject ${subjectId}`);
      const score = previous.score + delta;
      const rating = ratingOf(score, change.thresholds);
      writes.push({ subjectId, state: { score, rating }, at: change.at });
      if (rating !== previous.rating) {
        changes.push({
          subjectId,
          change: { at: change.at, from: previous.rating, to: rating, score, cause: change.cause },
        });
      }
    }
    return { writes, changes };
  }

  /** The first stored scores of newly enrolled subjects, with their "enrollment" changes. */
  async create(
    sql: Sql,
    subjectIds: readonly number[],
    state: ScoreState,
    at: Instant,
  ): Promise<void> {
    if (subjectIds.length === 0) return;
    await sql.query(
      `INSERT INTO scores (subject_id, score, rating, updated_at)
       SELECT subject_id, $2, $3, $4 FROM unnest($1::bigint[]) AS subject_id`,
      [subjectIds, state.score, state.rating, at],
    );
    await this.appendChanges(
      sql,
      subjectIds.map((subjectId) => ({
        subjectId,
        change: { at, from: undefined, to: state.rating, score: state.score, cause: "enrollment" },
      })),
    );
  }

  /**
   * Moves every stored score by the change of base score and re-rates everyone under the new
   * thresholds, logging a "rulebook" rating change for each subject whose rating moved.
   */
  async rescoreAll(
    sql: Sql,
    change: Readonly<{ previous: Rulebook; next: Rulebook; at: Instant }>,
  ): Promise<void> {
    const delta = change.next.baseScore - change.previous.baseScore;
    const thresholds = change.next.ratingThresholds;
    let after = 0;
    for (;;) {
      const page = await rows<{ subject_id: number } & ScoreState>(
        sql,
        `SELECT subject_id, score, rating FROM scores WHERE subject_id > $1
         ORDER BY subject_id LIMIT $2`,
        [after, rescoreChunkSubjectsMax],
      );
      const writes: ScoreWrite[] = [];
      const changes: RatingChangeWrite[] = [];
      for (const stored of page) {
        const score = stored.score + delta;
        const rating = ratingOf(score, thresholds);
        if (delta === 0 && rating === stored.rating) continue;
        writes.push({ subjectId: stored.subject_id, state: { score, rating }, at: change.at });
        if (rating !== stored.rating) {
          changes.push({
            subjectId: stored.subject_id,
            change: { at: change.at, from: stored.rating, to: rating, score, cause: "rulebook" },
          });
        }
      }
      await this.save(sql, writes);
      await this.appendChanges(sql, changes);
      const last = page.at(-1);
      if (!last) break;
      after = last.subject_id;
    }
  }

  /** Overwrites stored scores in one statement; the caller logs any rating change. */
  async save(sql: Sql, writes: readonly ScoreWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await sql.query(
      `UPDATE scores score
       SET score = saved.score, rating = saved.rating, updated_at = saved.updated_at
       FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[])
         AS saved (subject_id, score, rating, updated_at)
       WHERE score.subject_id = saved.subject_id`,
      [
        arrayParameter(writes.map((write) => write.subjectId)),
        arrayParameter(writes.map((write) => write.state.score)),
        arrayParameter(writes.map((write) => write.state.rating)),
        arrayParameter(writes.map((write) => write.at)),
      ],
    );
  }

  /** Appends rating changes in one statement, in the order given (ids ascend with it). */
  async appendChanges(sql: Sql, changes: readonly RatingChangeWrite[]): Promise<void> {
    if (changes.length === 0) return;
    await sql.query(
      `INSERT INTO rating_changes (subject_id, at, from_rating, to_rating, score, cause)
       SELECT subject_id, at, from_rating, to_rating, score, cause
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::integer[], $6::text[])
         WITH ORDINALITY AS change (subject_id, at, from_rating, to_rating, score, cause, position)
       ORDER BY position`,
      [
        arrayParameter(changes.map(({ subjectId }) => subjectId)),
        arrayParameter(changes.map(({ change }) => change.at)),
        arrayParameter(changes.map(({ change }) => change.from ?? null)),
        arrayParameter(changes.map(({ change }) => change.to)),
        arrayParameter(changes.map(({ change }) => change.score)),
        arrayParameter(changes.map(({ change }) => change.cause)),
      ],
    );
  }

  async changes(sql: Sql, subjectId: number): Promise<RatingChangeRecord[]> {
    const found = await rows<RatingChangeRow>(
      sql,
      `SELECT at, from_rating, to_rating, score, cause FROM rating_changes
       WHERE subject_id = $1 ORDER BY id`,
      [subjectId],
    );
    return found.map((change) => ({
      at: change.at,
      from: change.from_rating ?? undefined,
      to: change.to_rating,
      score: change.score,
      cause: change.cause,
    }));
  }
}

/**
 * A scalar subquery: the score of the subject whose internal id is `subject` at the time `at`
 * (SQL expressions, placeholders say), equal to the core's `scoreAt` over its entries, read
 * without shipping them; NULL for a subject without a stored score. One statement, so one
 * snapshot: the stored score as of the ledger clock, moved by the subject's entries that start
 * or stop counting between the clock and `at`. An entry that stopped counting before both times
 * changes nothing, so only later expiries are read. Everything it reads is keyed by the subject
 * (and the one-row `ledger_state`): a sharded database routes it to the subject's shard.
 */
export function scoreAtSql(subject: string, at: string): string {
  return `(SELECT (s.score + coalesce((
      SELECT sum(e.points * (
        (CASE WHEN e.effective_at <= ${at} AND ${at} < e.expires_at THEN 1 ELSE 0 END)
        - (CASE WHEN e.effective_at <= l.clock AND l.clock < e.expires_at THEN 1 ELSE 0 END)))
      FROM entries e
      WHERE e.subject_id = s.subject_id AND e.status = 'effective' AND e.points != 0
        AND e.expires_at > least(${at}, l.clock)), 0))::integer
    FROM scores s, ledger_state l
    WHERE s.subject_id = ${subject})`;
}
