import type { FastifyInstance, FastifyRequest } from "fastify";
import { appealsOfSettled } from "../../access/appeal.service.js";
import type { Instant } from "../../core/time.js";
import { buildScoreView, type ScoreView } from "../../ledger/score.view.js";
import type { AccessStore, AppealRecord } from "../../store/access.store.js";
import type { EntryRecord, LedgerStore, PublishedRulebook, Subject } from "../../store/store.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";

/** What every `/v1/me` route starts from: the signed-in subject, now, the rulebook, appeals. */
export type CitizenContext = Readonly<{
  subject: Subject;
  now: Instant;
  published: PublishedRulebook;
  /** The subject's appeals, with the overdue ones already decided for them. */
  appeals: AppealRecord[];
}>;

/**
 * A citizen reads only their own data: the subject comes from the session, never from the URL.
 * Appeals past their deadline are decided first, so nobody sees an overdue appeal as open.
 */
export async function citizenContext(
  app: FastifyInstance,
  request: FastifyRequest,
): Promise<CitizenContext> {
  const { subjectId } = requireRole(request.principal, ["subject"]);
  const { store, clock } = app.dependencies;
  const now = clock();
  const [subject, published] = await Promise.all([
    store.subject(subjectId),
    store.currentRulebook(),
  ]);
  // A valid session of a subject the store does not know: the data folder was replaced.
  if (!subject) {
    throw new ApiError("unauthenticated", "the session names no enrolled subject", {
      reason: "session_invalid",
    });
  }
  if (!published) throw new Error("no rulebook is published");
  const appeals = await appealsOfSettled(store, subject.id, now);
  return { subject, now, published, appeals };
}

/** The citizen's score view now, recomputed from their entries with the current rulebook. */
export async function scoreViewOf(
  store: LedgerStore & AccessStore,
  { subject, now, published }: CitizenContext,
): Promise<{ view: ScoreView; entries: EntryRecord[] }> {
  const entries = await store.entries(subject.id);
  const view = buildScoreView({
    subject,
    entries,
    rulebook: published.rulebook,
    version: published.version,
    at: now,
  });
  return { view, entries };
}
