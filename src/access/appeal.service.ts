import { type AppealRefusal, appealRefusalOf } from "../core/appeal.js";
import type { Instant } from "../core/time.js";
import type { AccessStore, AppealRecord } from "../store/access.store.js";
import type { EntryRecord, LedgerStore } from "../store/store.js";

export type AppealRequest = Readonly<{ statement: string; evidenceUrl: string | undefined }>;

export type AppealAnswer =
  | Readonly<{ kind: "opened"; appeal: AppealRecord }>
  | Readonly<{ kind: "not_found" }>
  | Readonly<{ kind: "refused"; refusal: AppealRefusal }>;

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

/**
 * Opens an appeal of one of the subject's own entries; someone else's entry is "not found". The
 * refusals are decided here, typed (`appealRefusalOf`), before the store is asked; the store
 * checks again inside its transaction.
 */
export async function appealEntry(
  store: LedgerStore & AccessStore,
  input: Readonly<{ subjectId: string; entryId: number; request: AppealRequest; now: Instant }>,
): Promise<AppealAnswer> {
  const entry = await store.entry(input.entryId);
  // The same answer for a missing entry and another person's entry: ids do not leak.
  if (!entry || entry.subjectId !== input.subjectId) return { kind: "not_found" };
  const refusal = await appealRefusalFor(store, entry);
  if (refusal) return { kind: "refused", refusal };
  const opened = await store.openAppeal({
    entryId: entry.id,
    subjectId: input.subjectId,
    statement: input.request.statement,
    evidenceUrl: input.request.evidenceUrl,
    at: input.now,
  });
  if (!("refused" in opened)) return { kind: "opened", appeal: opened };
  // Another request changed the entry between the check and the store's transaction (a second
  // appeal, a review): the state the store refused on is the one a fresh read shows. Entries
  // only move on from an appealable state, so a refusal a fresh read cannot explain is a bug.
  const fresh = await store.entry(entry.id);
  const raced = fresh && (await appealRefusalFor(store, fresh));
  if (!raced) {
    throw new Error(`entry ${entry.id}: the store refused an allowed appeal (${opened.refused})`);
  }
  return { kind: "refused", refusal: raced };
}

async function appealRefusalFor(
  store: AccessStore,
  entry: EntryRecord,
): Promise<AppealRefusal | undefined> {
  const appeals = await store.appealsOf(entry.subjectId);
  const appealedBefore = appeals.some((appeal) => appeal.entryId === entry.id);
  return appealRefusalOf({ id: entry.id, status: entry.status, appealedBefore });
}
