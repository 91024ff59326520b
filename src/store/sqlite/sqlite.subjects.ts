import type Database from "better-sqlite3";
import { ratingOf } from "../../core/rating.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { Instant } from "../../core/time.js";
import type { EnrollOutcome, Subject, SubjectInput } from "../store.js";
import type { ScoreBook } from "./sqlite.scores.js";

/** External ids remembered per store; a subject never changes ids, so a hit is never stale. */
export const subjectIdCacheEntriesMax = 262_144;
/** The most subjects one page may hold. */
export const subjectsPageMax = 10_000;

type SubjectRow = { internal_id: number; external_id: string; region: string; enrolled_at: number };

export class SubjectDirectory {
  /** External id to internal id, oldest first; only committed, enrolled subjects enter it. */
  private readonly internalIds = new Map<string, number>();
  private readonly selectOne;
  private readonly selectMany;
  private readonly selectPage;
  private readonly insert;
  private readonly countAll;

  constructor(
    database: Database.Database,
    private readonly scores: ScoreBook,
  ) {
    const columns = "internal_id, external_id, region, enrolled_at";
    this.selectOne = database.prepare<[string], SubjectRow>(
      `SELECT ${columns} FROM subjects WHERE external_id = ?`,
    );
    this.selectMany = database.prepare<[string], { internal_id: number; external_id: string }>(
      `SELECT internal_id, external_id FROM subjects
       WHERE external_id IN (SELECT value FROM json_each(?))`,
    );
    this.selectPage = database.prepare<[number, number], SubjectRow>(
      `SELECT ${columns} FROM subjects WHERE internal_id > ? ORDER BY internal_id LIMIT ?`,
    );
    this.countAll = database.prepare<[], number>("SELECT count(*) FROM subjects").pluck();
    this.insert = database.prepare<[string, string, Instant]>(
      `INSERT INTO subjects (external_id, region, enrolled_at) VALUES (?, ?, ?)
       ON CONFLICT (external_id) DO NOTHING`,
    );
  }

  subject(id: string): Subject | undefined {
    const row = this.selectOne.get(id);
    return row && toSubject(row);
  }

  page(afterInternalId: number, limit: number): Subject[] {
    if (!Number.isInteger(limit) || limit < 0 || limit > subjectsPageMax) {
      throw new Error(`page limit must be an integer in [0, ${subjectsPageMax}], not ${limit}`);
    }
    return this.selectPage.all(afterInternalId, limit).map(toSubject);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  /** Internal ids of the enrolled subjects among `externalIds`; one query for the cache misses. */
  resolve(externalIds: Iterable<string>): Map<string, number> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const externalId of externalIds) {
      if (found.has(externalId)) continue;
      const internalId = this.internalIds.get(externalId);
      if (internalId === undefined) missing.push(externalId);
      else found.set(externalId, internalId);
    }
    if (missing.length === 0) return found;
    for (const row of this.selectMany.all(JSON.stringify([...new Set(missing)]))) {
      found.set(row.external_id, row.internal_id);
      this.remember(row.external_id, row.internal_id);
    }
    return found;
  }

  /** Enrolls inside the caller's transaction, each new subject at the base score. */
  enroll(subjects: readonly SubjectInput[], at: Instant, rulebook: Rulebook): EnrollOutcome[] {
    const score = rulebook.baseScore;
    const rating = ratingOf(score, rulebook.ratingThresholds);
    return subjects.map(({ id, region }) => {
      if (id.length === 0) throw new Error("a subject id must not be empty");
      const inserted = this.insert.run(id, region, at);
      if (inserted.changes === 0) return "already_enrolled";
      this.scores.create(Number(inserted.lastInsertRowid), { score, rating }, at);
      return "enrolled";
    });
  }

  private remember(externalId: string, internalId: number): void {
    if (this.internalIds.size >= subjectIdCacheEntriesMax) {
      const oldest = this.internalIds.keys().next();
      if (!oldest.done) this.internalIds.delete(oldest.value);
    }
    this.internalIds.set(externalId, internalId);
  }
}

function toSubject(row: SubjectRow): Subject {
  return {
    internalId: row.internal_id,
    id: row.external_id,
    region: row.region,
    enrolledAt: row.enrolled_at,
  };
}
