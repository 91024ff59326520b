import { formatInstant } from "../core/time.js";
import type { WhatIfReport } from "./whatif.js";

/** The policy lab's report as JSON, the same for `civic whatif --json` and the admin API. */
export function whatIfJson(report: WhatIfReport) {
  return {
    at: formatInstant(report.at),
    rulebooks: {
      now: { version: report.live.version, title: report.live.title },
      draft: { title: report.draftTitle },
    },
    subjects: report.subjects,
    events: report.events,
    replay: { priced: report.priced, capped: report.capped, unpriced: report.unpriced },
    moves: { up: report.movedUp, down: report.movedDown, unchanged: report.unchanged },
    matrix: report.matrix,
    regions: report.regions.map((region) => ({
      region: region.region,
      subjects: region.subjects,
      up: region.movedUp,
      down: region.movedDown,
      matrix: region.matrix,
    })),
    rules: report.rules.map((rule) => ({
      type: rule.type,
      pointsNow: rule.pointsNow ?? null,
      pointsDraft: rule.pointsDraft ?? null,
      events: rule.events,
      pointsChange: rule.pointsChange,
      subjectsChanged: rule.subjectsChanged,
      movedUp: rule.movedUp,
      movedDown: rule.movedDown,
    })),
    policyMoves: { up: report.policyMoves.movedUp, down: report.policyMoves.movedDown },
    mostAffected: report.mostAffected.map((subject) => ({
      subjectId: subject.subjectId,
      region: subject.region,
      scoreNow: subject.scoreNow,
      scoreDraft: subject.scoreDraft,
      scoreChange: subject.scoreDraft - subject.scoreNow,
      ratingNow: subject.ratingNow,
      ratingDraft: subject.ratingDraft,
    })),
  };
}

export type WhatIfJson = ReturnType<typeof whatIfJson>;
