import { ratingOf } from "../../core/rating.js";
import type { Rulebook } from "../../core/rulebook.js";
import type { Instant } from "../../core/time.js";
import { subjectIdCacheEntriesMax, subjectsPageMax } from "../sqlite/sqlite.subjects.js";
import type { EnrollOutcome, Subject, SubjectInput } from "../store.js";
import type { LedgerWrite } from "./postgres.clock.js";
import { arrayParameter, row, rows, type Sql } from "./postgres.connection.js";
import type { ScoreBook } from "./postgres.scores.js";

export type SubjectRow = {
  subject_id: number;
  external_id: string;
  region: string;
  enrolled_at: number;
};

const columns = "subject_id, external_id, region, enrolled_at";

/**
 * Enrolled subjects. An external id is found through `subject_directory`, which shards by the
 * external id; everything else about a subject shards by its internal id.
 */
export class SubjectDirectory {
  /** External id to internal id, oldest first; only committed, enrolled subjects enter it. */
  private readonly internalIds = new Map<string, number>();

  constructor(private readonly scores: ScoreBook) {}

  async subject(sql: Sql, id: string): Promise<Subject | undefined> {
    const internalId = (await this.resolve(sql, [id])).get(id);
    if (internalId === undefined) return undefined;
    const found = await row<SubjectRow>(
      sql,
      `SELECT ${columns} FROM subjects WHERE subject_id = $1`,
      [internalId],
    );
    return found && toSubject(found);
  }

  async page(sql: Sql, afterInternalId: number, limit: number): Promise<Subject[]> {
    if (!Number.isInteger(limit) || limit < 0 || limit > subjectsPageMax) {
      throw new Error(`page limit must be an integer in [0, ${subjectsPageMax}], not ${limit}`);
    }
    const found = await rows<SubjectRow>(
      sql,
      `SELECT ${columns} FROM subjects WHERE subject_id > $1 ORDER BY subject_id LIMIT $2`,
      [afterInternalId, limit],
    );
    return found.map(toSubject);
  }

  /** Internal ids of the enrolled subjects among `externalIds`; one query for the cache misses. */
  async resolve(sql: Sql, externalIds: Iterable<string>): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing = new Set<string>();
    for (const externalId of externalIds) {
      if (found.has(externalId)) continue;
      const internalId = this.internalIds.get(externalId);
      if (internalId === undefined) missing.add(externalId);
      else found.set(externalId, internalId);
    }
    if (missing.size === 0) return found;
    const directory = await rows<{ external_id: string; subject_id: number }>(
      sql,
      "SELECT external_id, subject_id FROM subject_directory WHERE external_id = ANY($1::text[])",
      [arrayParameter([...missing])],
    );
    for (const entry of directory) {
      found.set(entry.external_id, entry.subject_id);
      this.remember(entry.external_id, entry.subject_id);
    }
    return found;
  }

  /**
   * Enrolls in the caller's ledger write, each new subject at the base score, with internal ids
   * handed out in order after the write's last one. A handful of statements for any count.
   */
  async enroll(
    write: LedgerWrite,
    subjects: readonly SubjectInput[],
    context: Readonly<{ at: Instant; rulebook: Rulebook }>,
  ): Promise<EnrollOutcome[]> {
    const { sql } = write;
    if (subjects.some(({ id }) => id.length === 0))
      throw new Error("a subject id must not be empty");
    const enrolled = await rows<{ external_id: string }>(
      sql,
      "SELECT external_id FROM subject_directory WHERE external_id = ANY($1::text[])",
      [[...new Set(subjects.map(({ id }) => id))]],
    );
    const taken = new Set(enrolled.map((entry) => entry.external_id));
    const fresh: { id: string; region: string; internalId: number }[] = [];
    const outcomes = subjects.map(({ id, region }): EnrollOutcome => {
      if (taken.has(id)) return "already_enrolled";
      taken.add(id);
      fresh.push({ id, region, internalId: write.lastSubjectId + fresh.length + 1 });
      return "enrolled";
    });
    if (fresh.length === 0) return outcomes;
    const internalIds = fresh.map((subject) => subject.internalId);
    const externalIds = fresh.map((subject) => subject.id);
    await sql.query(
      `INSERT INTO subject_directory (external_id, subject_id)
       SELECT * FROM unnest($1::text[], $2::bigint[])`,
      [externalIds, internalIds],
    );
    await sql.query(
      `INSERT INTO subjects (subject_id, external_id, region, enrolled_at)
       SELECT subject_id, external_id, region, $4
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS fresh (subject_id, external_id, region)`,
      [internalIds, externalIds, fresh.map((subject) => subject.region), context.at],
    );
    const score = context.rulebook.baseScore;
    const rating = ratingOf(score, context.rulebook.ratingThresholds);
    await this.scores.create(sql, internalIds, { score, rating }, context.at);
    write.lastSubjectId = internalIds.at(-1) as number;
    await sql.query("UPDATE ledger_state SET last_subject_id = $1", [write.lastSubjectId]);
    return outcomes;
  }

  private remember(externalId: string, internalId: number): void {
    if (this.internalIds.size >= subjectIdCacheEntriesMax) {
      const oldest = this.internalIds.keys().next();
      if (!oldest.done) this.internalIds.delete(oldest.value);
    }
    this.internalIds.set(externalId, internalId);
  }
}

export function toSubject(found: SubjectRow): Subject {
  return {
    internalId: found.subject_id,
    id: found.external_id,
    region: found.region,
    enrolledAt: found.enrolled_at,
  };
}
