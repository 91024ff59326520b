import {
  type EntryRow,
  selectEntriesSql,
  selectTransitionsSql,
  type TransitionRow,
  toEntryRecord,
  toTransitionRecord,
} from "../entries.shared.js";
import { checkPageLimit } from "../paging.js";
import type { EntryRecord, TransitionRecord } from "../store.js";
import { rows, type Sql } from "./postgres.connection.js";
import type { RulebookShelf } from "./postgres.rulebooks.js";

const selectEntries = selectEntriesSql("subject_id");

/** Reads of the ledger's entries and their transitions, as the interface's records. */
export class EntryReader {
  constructor(private readonly rulebooks: RulebookShelf) {}

  /** A subject's entries by internal id, oldest first. */
  async entries(sql: Sql, subjectId: number): Promise<EntryRecord[]> {
    return this.records(sql, `${selectEntries} WHERE e.subject_id = $1 ORDER BY e.id`, [subjectId]);
  }

  async entry(sql: Sql, entryId: number): Promise<EntryRecord | undefined> {
    const found = await this.records(sql, `${selectEntries} WHERE e.id = $1`, [entryId]);
    if (found.length > 1) throw new Error(`entry id ${entryId} is stored ${found.length} times`);
    return found[0];
  }

  /** Every requested subject gets a list, empty when it has no entries. */
  async entriesOfSubjects(
    sql: Sql,
    internalIds: readonly number[],
  ): Promise<Map<number, EntryRecord[]>> {
    const bySubject = new Map<number, EntryRecord[]>(internalIds.map((id) => [id, []]));
    if (internalIds.length === 0) return bySubject;
    const found = await this.records(
      sql,
      `${selectEntries} WHERE e.subject_id = ANY($1::bigint[]) ORDER BY e.subject_id, e.id`,
      [internalIds],
    );
    for (const record of found) bySubject.get(record.subjectInternalId)?.push(record);
    return bySubject;
  }

  /** Entries waiting for a human reviewer, oldest first. */
  async pendingReviews(sql: Sql, limit: number): Promise<EntryRecord[]> {
    checkPageLimit(limit);
    // The condition repeats the partial index's WHERE so that the planner uses it.
    return this.records(
      sql,
      `${selectEntries} WHERE e.status = 'pending_review' ORDER BY e.id LIMIT $1`,
      [limit],
    );
  }

  async transitions(sql: Sql, entryId: number): Promise<TransitionRecord[]> {
    const found = await rows<TransitionRow>(
      sql,
      `${selectTransitionsSql} WHERE entry_id = $1 ORDER BY id`,
      [entryId],
    );
    return found.map(toTransitionRecord);
  }

  private async records(sql: Sql, text: string, values: unknown[]): Promise<EntryRecord[]> {
    const found = await rows<EntryRow>(sql, text, values);
    const rulebooks = await this.rulebooks.versions(
      sql,
      found.map((entry) => entry.rulebook_version),
    );
    return found.map((entry) =>
      toEntryRecord(entry, rulebooks.get(entry.rulebook_version)?.rulebook),
    );
  }
}
