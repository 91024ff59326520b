import type Database from "better-sqlite3";
import type { SubjectRange } from "./sqlite.history.packing.js";

/**
 * The log of changes to entries and subjects already copied into segments (the triggers of
 * migration 3 fill it): the entries to take out of the segments and read again from their rows,
 * each with the subjects it was logged under (before and after a change, so its current subject
 * is one of them), and the subjects whose rows changed.
 */
export type Changes = Readonly<{
  entries: ReadonlyMap<number, readonly number[]>;
  subjects: ReadonlySet<number>;
}>;

export const noChanges: Changes = { entries: new Map(), subjects: new Set() };

type ChangeRow = Readonly<{ entry_id: number | null; subject_id: number }>;

export function readChanges(database: Database.Database): Changes {
  return changesOf(
    database.prepare<[], ChangeRow>("SELECT entry_id, subject_id FROM history_changes").iterate(),
  );
}

export function changesOf(rows: Iterable<ChangeRow>): Changes {
  const entries = new Map<number, number[]>();
  const subjects = new Set<number>();
  for (const row of rows) {
    if (row.entry_id === null) {
      subjects.add(row.subject_id);
      continue;
    }
    const logged = entries.get(row.entry_id);
    if (!logged) entries.set(row.entry_id, [row.subject_id]);
    else if (!logged.includes(row.subject_id)) logged.push(row.subject_id);
  }
  return { entries, subjects };
}

/** Ascending ids of the changed entries logged under a subject of the range. */
export function changedEntriesOf(changes: Changes, range: SubjectRange): number[] {
  const ids: number[] = [];
  for (const [id, subjects] of changes.entries) {
    if (subjects.some((subject) => within(subject, range))) ids.push(id);
  }
  return ids.sort((left, right) => left - right);
}

/** Whether a subject of the range changed (its row, not its entries). */
export function subjectChangedWithin(changes: Changes, range: SubjectRange): boolean {
  for (const subject of changes.subjects) if (within(subject, range)) return true;
  return false;
}

export function within(subject: number, range: SubjectRange): boolean {
  return subject >= range.firstSubject && subject < range.endSubject;
}
