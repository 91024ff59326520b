import { type Rating, ratings } from "../core/rating.js";
import { formatInstant } from "../core/time.js";
import type { RatingMatrix } from "../core/whatif.js";
import type { WhatIfReport } from "../ledger/whatif.js";
import { formatTable, signed } from "./table.js";

/** The policy lab's report as tables for a person at a terminal. */
export function whatIfText(report: WhatIfReport, mostAffectedAsked: number): string {
  const header = [
    `what-if at ${formatInstant(report.at)}: draft '${report.draftTitle}' against rulebook version ${report.live.version} ('${report.live.title}')`,
    `${report.subjects} subjects, ${report.events} events (${report.priced} priced, ${report.capped} capped, ${report.unpriced} without a rule, rejected or reversed)`,
    `ratings: ${report.movedUp} up, ${report.movedDown} down, ${report.unchanged} unchanged`,
  ];
  const policy = report.policyMoves;
  const sections = [
    `${header.join("\n")}\n`,
    `rating now (rows) and under the draft (columns)\n${matrixTable(report.matrix)}`,
    `by region\n${regionTable(report)}`,
    `by rule (a move counts for each rule that pushed the score its way)\n${ruleTable(report)}`,
  ];
  if (policy.movedUp + policy.movedDown > 0) {
    sections.push(
      `moved by the base score or the thresholds alone: ${policy.movedUp} up, ${policy.movedDown} down\n`,
    );
  }
  sections.push(mostAffectedText(report, mostAffectedAsked));
  return sections.join("\n");
}

function matrixTable(matrix: RatingMatrix): string {
  return formatTable(
    ["now", ...ratings, "subjects"],
    ratings.map((now: Rating) => {
      const row = ratings.map((draft) => matrix[now][draft]);
      return [now, ...row.map(String), String(row.reduce((sum, count) => sum + count, 0))];
    }),
    { alignRight: [1, 2, 3, 4, 5, 6, 7] },
  );
}

function regionTable(report: WhatIfReport): string {
  return formatTable(
    ["region", "subjects", "up", "down", "unchanged"],
    report.regions.map((region) => [
      region.region,
      String(region.subjects),
      String(region.movedUp),
      String(region.movedDown),
      String(region.subjects - region.movedUp - region.movedDown),
    ]),
    { alignRight: [1, 2, 3, 4] },
  );
}

/** Rules with events, or whose points the draft changes; `--json` lists every rule. */
function ruleTable(report: WhatIfReport): string {
  const points = (value: number | undefined) => (value === undefined ? "-" : signed(value));
  const rows = report.rules.filter(
    (rule) => rule.events > 0 || rule.pointsNow !== rule.pointsDraft,
  );
  return formatTable(
    ["type", "points now", "draft", "events", "point change", "subjects", "up", "down"],
    rows.map((rule) => [
      rule.type,
      points(rule.pointsNow),
      points(rule.pointsDraft),
      String(rule.events),
      signed(rule.pointsChange),
      String(rule.subjectsChanged),
      String(rule.movedUp),
      String(rule.movedDown),
    ]),
    { alignRight: [1, 2, 3, 4, 5, 6, 7] },
  );
}

function mostAffectedText(report: WhatIfReport, asked: number): string {
  const shown = report.mostAffected;
  if (shown.length === 0) return "nobody's score or rating would change\n";
  return `most affected (${shown.length}${shown.length === asked ? `; --top ${asked}` : ""})
${formatTable(
  ["subject", "region", "score now", "draft", "change", "rating now", "draft"],
  shown.map((subject) => [
    subject.subjectId,
    subject.region,
    String(subject.scoreNow),
    String(subject.scoreDraft),
    signed(subject.scoreDraft - subject.scoreNow),
    subject.ratingNow,
    subject.ratingDraft,
  ]),
  { alignRight: [2, 3, 4] },
)}`;
}
