import type { Instant } from "../core/time.js";
import type { AccessStore, AppealRecord } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";

export type AppealRequest = Readonly<{ statement: string; evidenceUrl: string | undefined }>;

export type AppealAnswer =
  | Readonly<{ kind: "opened"; appeal: AppealRecord }>
  | Readonly<{ kind: "not_found" }>
  | Readonly<{ kind: "refused"; reason: string }>;

/**
 * Rounds of `decideOverdueAppeals` one request may run. The store decides a bounded number per
 * call, earliest deadline first; this bounds a request's time under a backlog, which the
 * server's schedule works off anyway.
 */
export const overdueRoundsMax = 10;

/** Charter item 4: decides for the subject every appeal past its deadline, before answering. */
export async function decideOverdueAppeals(store: AccessStore, now: Instant): Promise<void> {
  for (let round = 0; round < overdueRoundsMax; round++) {
    if ((await store.decideOverdueAppeals(now)).length === 0) return;
  }
}

/**
 * The subject's appeals, fresh, with the overdue ones decided for them first: the server decides
 * them on a schedule, and reads decide them too, so nobody sees an overdue appeal as open. The
 * write happens only when one of theirs is overdue.
 */
export async function appealsOfSettled(
  store: AccessStore,
  subjectId: string,
  now: Instant,
): Promise<AppealRecord[]> {
  let appeals = await store.appealsOf(subjectId);
  const overdue = () =>
    appeals.some((appeal) => appeal.outcome === undefined && appeal.deadlineAt <= now);
  for (let round = 0; round < overdueRoundsMax && overdue(); round++) {
    await store.decideOverdueAppeals(now);
    appeals = await store.appealsOf(subjectId);
  }
  return appeals;
}

/** Opens an appeal of one of the subject's own entries; someone else's entry is "not found". */
export async function appealEntry(
  store: LedgerStore & AccessStore,
  input: Readonly<{ subjectId: string; entryId: number; request: AppealRequest; now: Instant }>,
): Promise<AppealAnswer> {
  const entry = await store.entry(input.entryId);
  // The same answer for a missing entry and another person's entry: ids do not leak.
  if (!entry || entry.subjectId !== input.subjectId) return { kind: "not_found" };
  const opened = await store.openAppeal({
    entryId: entry.id,
    subjectId: input.subjectId,
    statement: input.request.statement,
    evidenceUrl: input.request.evidenceUrl,
    at: input.now,
  });
  if ("refused" in opened) return { kind: "refused", reason: opened.refused };
  return { kind: "opened", appeal: opened };
}
