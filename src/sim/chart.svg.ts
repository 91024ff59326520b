import type { Rating } from "../core/rating.js";
import type { RatingCounts, RatingSample, SimulationReport } from "./report.js";

/** Ratings from the bottom of each stack to the top. */
const stackOrder: readonly Rating[] = ["D", "C", "B", "A", "AA", "AAA"];
const colours: Readonly<Record<Rating, string>> = {
  AAA: "#1a9850",
  AA: "#91cf60",
  A: "#d9ef8b",
  B: "#fee08b",
  C: "#fc8d59",
  D: "#d73027",
};
const panel = { width: 210, height: 120, gapX: 50, gapY: 46, columns: 4 } as const;
const margin = { left: 40, top: 70 } as const;

/**
 * The run as an SVG: per region, the share of subjects in each rating over the simulated days
 * (stacked areas, best on top), and the fate of the camera infractions attributed to the wrong
 * person. Plain SVG 1.1, no scripts or external references.
 */
export function renderChart(report: SimulationReport): string {
  const panels = [...report.regions, "whole city"];
  const rows = Math.ceil(panels.length / panel.columns);
  const width = margin.left + panel.columns * (panel.width + panel.gapX);
  const fatesTop = margin.top + rows * (panel.height + panel.gapY) + 10;
  const height = fatesTop + 90;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="16" font-weight="bold">${escapeXml(title(report))}</text>`,
    legend(margin.left, 46),
  ];
  panels.forEach((name, index) => {
    const x = margin.left + (index % panel.columns) * (panel.width + panel.gapX);
    const y = margin.top + Math.floor(index / panel.columns) * (panel.height + panel.gapY);
    const series = report.ratingsOverTime.map((sample) =>
      name === "whole city" ? cityCounts(sample) : (sample.byRegion[name] as RatingCounts),
    );
    parts.push(regionPanel(name, series, report, { x, y }));
  });
  parts.push(fates(report, margin.left, fatesTop, width - 2 * margin.left), "</svg>");
  return `${parts.join("\n")}\n`;
}

function title(report: SimulationReport): string {
  return `Ratings by region over ${report.days} days: ${report.subjects.toLocaleString("en-US")} subjects, seed ${report.seed}`;
}

function legend(x: number, y: number): string {
  return [...stackOrder]
    .reverse()
    .map((rating, index) => {
      const left = x + index * 60;
      return `<rect x="${left}" y="${y - 9}" width="12" height="12" fill="${colours[rating]}"/><text x="${left + 16}" y="${y + 1}">${rating}</text>`;
    })
    .join("");
}

function regionPanel(
  name: string,
  series: readonly RatingCounts[],
  report: SimulationReport,
  at: Readonly<{ x: number; y: number }>,
): string {
  const { x, y } = at;
  const count = series.length;
  const xOf = (index: number) => x + (count <= 1 ? 0 : (index / (count - 1)) * panel.width);
  const yOf = (share: number) => y + panel.height * (1 - share);
  const totals = series.map((counts) =>
    stackOrder.reduce((sum, rating) => sum + counts[rating], 0),
  );
  const lower = new Array<number>(count).fill(0);
  const areas: string[] = [];
  for (const rating of stackOrder) {
    const upper = series.map((counts, index) => {
      const total = totals[index] as number;
      return (lower[index] as number) + (total === 0 ? 0 : counts[rating] / total);
    });
    const top = upper.map((share, index) => `${round(xOf(index))},${round(yOf(share))}`);
    const bottom = lower
      .map((share, index) => `${round(xOf(index))},${round(yOf(share))}`)
      .reverse();
    areas.push(`<polygon points="${[...top, ...bottom].join(" ")}" fill="${colours[rating]}"/>`);
    upper.forEach((share, index) => {
      lower[index] = share;
    });
  }
  return [
    `<g>`,
    `<text x="${x}" y="${y - 6}" font-weight="bold">${escapeXml(name)}</text>`,
    ...areas,
    `<rect x="${x}" y="${y}" width="${panel.width}" height="${panel.height}" fill="none" stroke="#555"/>`,
    `<text x="${x - 4}" y="${y + 4}" text-anchor="end">100%</text>`,
    `<text x="${x - 4}" y="${y + panel.height}" text-anchor="end">0</text>`,
    `<text x="${x}" y="${y + panel.height + 14}">${report.startAt.slice(0, 10)}</text>`,
    `<text x="${x + panel.width}" y="${y + panel.height + 14}" text-anchor="end">${report.endAt.slice(0, 10)}</text>`,
    `</g>`,
  ].join("\n");
}

function fates(report: SimulationReport, x: number, y: number, width: number): string {
  const fate = report.wronglyAttributed;
  const pieces: [string, number, string][] = [
    ["caught at review", fate.caughtAtReview, "#1a9850"],
    ["reversed on appeal", fate.reversedOnAppeal, "#91cf60"],
    ["waiting for review", fate.waitingForReview, "#bbbbbb"],
    ["under appeal", fate.underAppeal, "#fee08b"],
    ["still counting", fate.stillCounting, "#d73027"],
    ["counted, then expired", fate.expired, "#fc8d59"],
  ];
  const total = pieces.reduce((sum, [, count]) => sum + count, 0);
  const heading = `Camera infractions attributed to the wrong person: ${fate.recorded} (false-match rate ${(report.falseMatchRate * 100).toFixed(1)}%); ${fate.subjectsInCOrDBecauseOfThem} people in C or D because of them`;
  let left = x;
  const bars = pieces.map(([label, count, colour], index) => {
    const barWidth = total === 0 ? 0 : (count / total) * width;
    const bar = `<rect x="${round(left)}" y="${y + 10}" width="${round(barWidth)}" height="18" fill="${colour}"><title>${escapeXml(`${label}: ${count}`)}</title></rect>`;
    left += barWidth;
    const key = `<rect x="${x + index * 150}" y="${y + 40}" width="12" height="12" fill="${colour}"/><text x="${x + index * 150 + 16}" y="${y + 50}">${escapeXml(`${label}: ${count}`)}</text>`;
    return bar + key;
  });
  return [`<text x="${x}" y="${y}" font-weight="bold">${escapeXml(heading)}</text>`, ...bars].join(
    "\n",
  );
}

function cityCounts(sample: RatingSample): RatingCounts {
  const totals: RatingCounts = { AAA: 0, AA: 0, A: 0, B: 0, C: 0, D: 0 };
  for (const counts of Object.values(sample.byRegion)) {
    for (const rating of stackOrder) totals[rating] += counts[rating];
  }
  return totals;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
