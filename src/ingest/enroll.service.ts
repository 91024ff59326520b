import type { Instant } from "../core/time.js";
import type { AuditLine, EnrollOutcome, LedgerStore, SubjectInput } from "../store/store.js";
import type { SubjectRow } from "./subjects.reader.js";

export const enrollBatchSubjectsMax = 1_000;

export type EnrollCounts = { enrolled: number; already_enrolled: number; invalid: number };

export type EnrollOptions = Readonly<{
  store: LedgerStore;
  clock: () => Instant;
  batchSize?: number;
  onProblem?: (problem: Readonly<{ lineNumber: number; message: string }>) => void;
  onBatch?: (report: Readonly<{ lastLineNumber: number; counts: EnrollCounts }>) => void;
  /** Each batch's audit line, written with the batch. */
  audit?: AuditLine<EnrollOutcome[]>;
}>;

/**
 * Enrolls the valid rows in batches; a bad row is reported and skipped. An id seen twice counts
 * as already enrolled the second time, as the store treats an id it already holds.
 */
export async function enrollRows(
  rows: AsyncIterable<SubjectRow>,
  { store, clock, batchSize = enrollBatchSubjectsMax, onProblem, onBatch, audit }: EnrollOptions,
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
    if ("problem" in row) {
      counts.invalid++;
      onProblem?.({ lineNumber: row.lineNumber, message: row.problem });
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
