import type { Instant } from "../core/time.js";
import type { AuditLine, EnrollOutcome, LedgerStore, SubjectInput } from "../store/store.js";
import type { SubjectRefusalKind, SubjectRow } from "./subjects.reader.js";

export const enrollBatchSubjectsMax = 1_000;

/** `invalid` counts the refused rows, whatever their refusal. */
export type EnrollCounts = { enrolled: number; already_enrolled: number; invalid: number };

/** A refused row, as ingest reports a refused line: its line, refusal and why. */
export type RowRefusal = Readonly<{
  lineNumber: number;
  kind: SubjectRefusalKind;
  message: string;
}>;

export type EnrollOptions = Readonly<{
  store: LedgerStore;
  clock: () => Instant;
  batchSize?: number;
  onRefusal?: (refusal: RowRefusal) => void;
  onBatch?: (report: Readonly<{ lastLineNumber: number; counts: EnrollCounts }>) => void;
  /** Each batch's audit line, written with the batch. */
  audit?: AuditLine<EnrollOutcome[]>;
}>;

/**
 * Enrolls the valid rows in batches; a bad row is reported and skipped. An id seen twice counts
 * as already enrolled the second time, as the store treats an id it already holds. An error
 * thrown by `rows` ends the run, after the batches before it: `readSubjects` throws only for a
 * CSV file without its header, before any row, so then nothing is enrolled.
 */
export async function enrollRows(
  rows: AsyncIterable<SubjectRow>,
  { store, clock, batchSize = enrollBatchSubjectsMax, onRefusal, onBatch, audit }: EnrollOptions,
): Promise<EnrollCounts> {
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= enrollBatchSubjectsMax)) {
    throw new Error(`batchSize must be from 1 to ${enrollBatchSubjectsMax}, not ${batchSize}`);
  }
  const counts: EnrollCounts = { enrolled: 0, already_enrolled: 0, invalid: 0 };
  let batch = new Map<string, SubjectInput>();
  let lastLineNumber = 0;
  const commit = async () => {
    const outcomes = await store.enrollSubjects([...batch.values()], clock(), audit);
    if (outcomes.length !== batch.size) {
      throw new Error(`store answered ${outcomes.length} outcomes for ${batch.size} subjects`);
    }
    for (const outcome of outcomes) counts[outcome]++;
    batch = new Map();
    onBatch?.({ lastLineNumber, counts: { ...counts } });
  };
  for await (const row of rows) {
    lastLineNumber = row.lineNumber;
    if ("refusal" in row) {
      counts.invalid++;
      onRefusal?.({ lineNumber: row.lineNumber, kind: row.refusal, message: row.message });
      continue;
    }
    if (batch.has(row.subject.id)) {
      counts.already_enrolled++;
      continue;
    }
    batch.set(row.subject.id, row.subject);
    if (batch.size >= batchSize) await commit();
  }
  if (batch.size > 0) await commit();
  return counts;
}
