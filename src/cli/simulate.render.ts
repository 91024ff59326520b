import { ratings } from "../core/rating.js";
import type { RatingCounts, SimulationReport } from "../sim/report.js";
import { formatTable } from "./table.js";

const whole = (value: number) => Math.round(value).toLocaleString("en-US");
const percent = (part: number, total: number) =>
  total === 0 ? "-" : `${((100 * part) / total).toFixed(1)}`;

/** The run report as tables for a terminal. */
export function renderReport(report: SimulationReport): string {
  return [
    headline(report),
    `ratings at the end, by region (subjects)\n${regionTable(report)}`,
    `ratings over time, the whole city (% of subjects)\n${timeTable(report)}`,
    `entries by type at the end\n${typeTable(report)}`,
    falseMatches(report),
    activity(report),
    auditText(report),
  ].join("\n");
}

function headline(report: SimulationReport): string {
  const { delivery, outcomes } = report;
  const misdirected = outcomes.unknown_subject + outcomes.source_not_authorised_for_type;
  const span = `${report.startAt.slice(0, 10)} to ${report.endAt.slice(0, 10)}`;
  const faults = report.faults
    ? `: ${whole(delivery.late)} late, ${whole(delivery.duplicates)} sent twice, ${whole(delivery.reordered)} deliveries out of order, ${whole(misdirected)} misdirected`
    : "";
  return `simulated city: ${whole(report.subjects)} subjects in ${report.regions.length} regions, ${report.days} days (${span}), seed ${report.seed}, ${report.mode === "http" ? "over HTTP" : "in process"}, faults ${report.faults ? "on" : "off"}
${whole(delivery.reports)} reports${faults}
${whole(outcomes.accepted)} entries recorded, ${whole(outcomes.duplicate)} duplicates answered; ${report.seconds.toFixed(1)} s end to end (${whole(report.reportsPerSecond)} reports/s)
`;
}

function regionTable(report: SimulationReport): string {
  const last = report.ratingsOverTime.at(-1);
  const rows = report.regions.map((region) => {
    const counts = last?.byRegion[region] as RatingCounts;
    return [region, ...ratings.map((rating) => whole(counts[rating]))];
  });
  rows.push(["all", ...ratings.map((rating) => whole(report.finalRatings[rating]))]);
  return formatTable(["region", ...ratings], rows, { alignRight: [1, 2, 3, 4, 5, 6] });
}

function timeTable(report: SimulationReport): string {
  const rows = report.ratingsOverTime.map((sample) => {
    const totals = Object.fromEntries(ratings.map((rating) => [rating, 0])) as RatingCounts;
    for (const counts of Object.values(sample.byRegion)) {
      for (const rating of ratings) totals[rating] += counts[rating];
    }
    const all = ratings.reduce((sum, rating) => sum + totals[rating], 0);
    const day =
      sample.day < 0 ? "start" : sample.day >= report.days ? "end" : String(sample.day + 1);
    return [day, sample.at.slice(0, 10), ...ratings.map((rating) => percent(totals[rating], all))];
  });
  return formatTable(["day", "date", ...ratings], rows, { alignRight: [0, 2, 3, 4, 5, 6, 7] });
}

function typeTable(report: SimulationReport): string {
  const rows = report.eventsByType.map((figures) => [
    figures.type,
    whole(figures.entries),
    whole(figures.counting),
    figures.points > 0 ? `+${figures.points}` : String(figures.points),
    whole(figures.capped),
    whole(figures.waitingForReview),
    whole(figures.rejected),
    whole(figures.underAppeal),
    whole(figures.reversed),
    whole(figures.expired),
  ]);
  return formatTable(
    [
      "type",
      "entries",
      "counting",
      "points",
      "capped",
      "waiting",
      "rejected",
      "appealed",
      "reversed",
      "expired",
    ],
    rows,
    { alignRight: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
  );
}

function falseMatches(report: SimulationReport): string {
  const fates = report.wronglyAttributed;
  const rate = `${(report.falseMatchRate * 100).toFixed(1)}%`;
  return `camera infractions attributed to the wrong person (false-match rate ${rate})
${formatTable(
  ["fate", "entries"],
  [
    ["recorded", whole(fates.recorded)],
    ["caught at review", whole(fates.caughtAtReview)],
    ["reversed on appeal", whole(fates.reversedOnAppeal)],
    ["waiting for review", whole(fates.waitingForReview)],
    ["under appeal", whole(fates.underAppeal)],
    ["still counting", whole(fates.stillCounting)],
    ["counted, then expired", whole(fates.expired)],
  ],
  { alignRight: [1] },
)}people in C or D only because of them: ${whole(fates.subjectsInCOrDBecauseOfThem)}
`;
}

function activity(report: SimulationReport): string {
  const { reviews, appeals, consents, inquiries, crash } = report;
  const lines = [
    `reviews: ${whole(reviews.confirmed)} confirmed, ${whole(reviews.rejected)} rejected, ${whole(reviews.waitingAtEnd)} waiting at the end`,
    `appeals: ${whole(appeals.opened)} opened (${whole(appeals.refused)} refused), ${whole(appeals.upheld)} upheld and ${whole(appeals.reversed)} reversed by reviewers, ${whole(appeals.decidedAtDeadline)} decided for the subject at the deadline, ${whole(appeals.openAtEnd)} open at the end`,
    `consents: ${whole(consents.granted)} granted, ${whole(consents.revoked)} revoked; inquiries: ${whole(inquiries.allowed)} answered, ${whole(inquiries.refused)} refused, ${whole(inquiries.byAuthority)} by the authority on public_task`,
  ];
  if (crash) {
    lines.push(
      `crash: on day ${crash.day + 1} the ingesting process was killed after committing ${whole(crash.committedBeforeCrash)} reports; restarted, it was sent the whole day again`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The audit's verdict; a failure names the seed and the first differing subject. */
export function auditText(report: SimulationReport): string {
  const { audit } = report;
  if (audit.ok) {
    return `audit: every score matches the independent model (${whole(audit.subjectsChecked)} subjects, ${whole(audit.entriesChecked)} entries, ${whole(audit.answersChecked)} answers checked)\n`;
  }
  const shown = audit.differences
    .map(
      (difference) =>
        `  ${difference.kind}${difference.subjectId ? ` ${difference.subjectId}` : ""}: ${difference.message}`,
    )
    .join("\n");
  return `audit FAILED with seed ${report.seed}: ${whole(audit.differenceCount)} differences; first differing subject: ${audit.firstDifferingSubject ?? "none named"}
${shown}
replay: civic simulate --subjects ${report.subjects} --days ${report.days} --regions ${report.regions.length} --seed ${report.seed} --end ${report.endAt}${report.faults ? " --faults" : ""} --false-match-rate ${report.falseMatchRate}
`;
}
