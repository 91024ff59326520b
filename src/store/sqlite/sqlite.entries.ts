import type Database from "better-sqlite3";
import type { Evidence } from "../../core/event.js";
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
import type { RulebookShelf } from "./sqlite.rulebooks.js";

/** SQLite hands the JSON columns over as text. */
type SqliteEntryRow = Omit<EntryRow, "evidence" | "attributes"> & {
  evidence: string;
  attributes: string | null;
};

const selectEntries = selectEntriesSql("internal_id");

/** Reads of the ledger's entries and their transitions, as the interface's records. */
export class EntryReader {
  private readonly selectBySubject;
  private readonly selectById;
  private readonly selectBySubjects;
  private readonly selectPendingReview;
  private readonly selectTransitions;
  private readonly countAll;

  constructor(
    database: Database.Database,
    private readonly rulebooks: RulebookShelf,
  ) {
    this.selectBySubject = database.prepare<[string], SqliteEntryRow>(
      `${selectEntries} WHERE subject.external_id = ? ORDER BY e.id`,
    );
    this.selectById = database.prepare<[number], SqliteEntryRow>(`${selectEntries} WHERE e.id = ?`);
    this.selectBySubjects = database.prepare<[string], SqliteEntryRow>(
      `${selectEntries} WHERE e.subject_id IN (SELECT value FROM json_each(?))
       ORDER BY e.subject_id, e.id`,
    );
    // The condition repeats the partial index's WHERE so that the planner uses it.
    this.selectPendingReview = database.prepare<[number], SqliteEntryRow>(
      `${selectEntries} WHERE e.status = 'pending_review' ORDER BY e.id LIMIT ?`,
    );
    this.selectTransitions = database.prepare<[number], TransitionRow>(
      `${selectTransitionsSql} WHERE entry_id = ? ORDER BY id`,
    );
    this.countAll = database.prepare<[], number>("SELECT count(*) FROM entries").pluck();
  }

  entries(subjectId: string): EntryRecord[] {
    return this.selectBySubject.all(subjectId).map((row) => this.toRecord(row));
  }

  entry(entryId: number): EntryRecord | undefined {
    const row = this.selectById.get(entryId);
    return row && this.toRecord(row);
  }

  /** Every requested subject gets a list, empty when it has no entries. */
  entriesOfSubjects(internalIds: readonly number[]): Map<number, EntryRecord[]> {
    const bySubject = new Map<number, EntryRecord[]>(internalIds.map((id) => [id, []]));
    for (const row of this.selectBySubjects.all(JSON.stringify(internalIds))) {
      bySubject.get(row.subject_id)?.push(this.toRecord(row));
    }
    return bySubject;
  }

  /** Entries waiting for a human reviewer, oldest first. */
  pendingReviews(limit: number): EntryRecord[] {
    checkPageLimit(limit);
    return this.selectPendingReview.all(limit).map((row) => this.toRecord(row));
  }

  transitions(entryId: number): TransitionRecord[] {
    return this.selectTransitions.all(entryId).map(toTransitionRecord);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  private toRecord(row: SqliteEntryRow): EntryRecord {
    return toEntryRecord(
      {
        ...row,
        evidence: JSON.parse(row.evidence) as Evidence,
        attributes: row.attributes === null ? null : JSON.parse(row.attributes),
      },
      this.rulebooks.version(row.rulebook_version)?.rulebook,
    );
  }
}
