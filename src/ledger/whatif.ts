import type { Rating } from "../core/rating.js";
import type { Rulebook } from "../core/rulebook.js";
import type { Instant } from "../core/time.js";
import { WhatIfTally, type WhatIfTallyResult } from "../core/whatif.js";
import type { LedgerStore } from "../store/store.js";

export type WhatIfProgress = Readonly<{ subjects: number; events: number }>;

export type WhatIfOptions = Readonly<{
  draft: Rulebook;
  /** Scores now and under the draft are compared at this time. */
  at: Instant;
  mostAffectedCount?: number;
  chunkEventsMax?: number;
  onProgress?: (progress: WhatIfProgress) => void;
}>;

export type AffectedSubjectView = Readonly<{
  subjectId: string;
  region: string;
  scoreNow: number;
  scoreDraft: number;
  ratingNow: Rating;
  ratingDraft: Rating;
}>;

export type WhatIfReport = Omit<WhatIfTallyResult, "mostAffected"> &
  Readonly<{
    at: Instant;
    live: Readonly<{ version: number; title: string }>;
    draftTitle: string;
    mostAffected: AffectedSubjectView[];
  }>;

/**
 * The policy lab: replays the stored history (every entry's event, with the facts its
 * transitions established: rejected, reversed, under appeal, waiting for review) under a draft
 * rulebook and compares every subject's rating with the one it holds now. It only reads: the
 * ledger, its clock and its stored scores are left exactly as they were.
 */
export async function whatIf(store: LedgerStore, options: WhatIfOptions): Promise<WhatIfReport> {
  const published = await store.currentRulebook();
  if (!published) throw new Error("no rulebook is published; there is nothing to compare with");
  const { draft, at } = options;
  const tally = new WhatIfTally({
    live: published.rulebook,
    draft,
    at,
    mostAffectedCount: options.mostAffectedCount,
  });
  let subjects = 0;
  let events = 0;
  const chunks = store.history({
    at,
    confidenceMin: draft.cameraConfidenceMin,
    chunkEventsMax: options.chunkEventsMax,
  });
  for await (const chunk of chunks) {
    tally.add(chunk);
    subjects += chunk.subjects.count;
    events += chunk.events.length;
    options.onProgress?.({ subjects, events });
  }
  const result = tally.result();
  const mostAffected: AffectedSubjectView[] = [];
  for (const { internalId, ...scores } of result.mostAffected) {
    mostAffected.push({ subjectId: await externalId(store, internalId), ...scores });
  }
  return {
    ...result,
    at,
    live: { version: published.version, title: published.rulebook.title },
    draftTitle: draft.title,
    mostAffected,
  };
}

async function externalId(store: LedgerStore, internalId: number): Promise<string> {
  const [subject] = await store.subjectsPage(internalId - 1, 1);
  if (subject?.internalId !== internalId) throw new Error(`no subject ${internalId}`);
  return subject.id;
}
