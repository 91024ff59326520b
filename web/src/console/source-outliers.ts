/** A source stands out when its entries are reversed on appeal this many times as often... */
export const reversalRatioOutlier = 2;
/** ...and at least this many times: one reversal is no pattern. */
export const reversalsMin = 2;

export type SourceFigures = Readonly<{
  source: string;
  entries: number;
  appeals: number;
  reversed: number;
}>;
export type SourceRates = SourceFigures &
  Readonly<{ appealRate: number; reversalRate: number; outlier: boolean }>;

/** Appeal and reversal rates per source against the whole ledger's; the outliers flagged. */
export function sourceRates(figures: readonly SourceFigures[]): SourceRates[] {
  const entries = figures.reduce((sum, row) => sum + row.entries, 0);
  const reversed = figures.reduce((sum, row) => sum + row.reversed, 0);
  const overall = entries === 0 ? 0 : reversed / entries;
  return figures
    .map((row) => {
      const reversalRate = row.entries === 0 ? 0 : row.reversed / row.entries;
      return {
        ...row,
        appealRate: row.entries === 0 ? 0 : row.appeals / row.entries,
        reversalRate,
        outlier: row.reversed >= reversalsMin && reversalRate >= reversalRatioOutlier * overall,
      };
    })
    .sort(
      (left, right) =>
        right.reversalRate - left.reversalRate || left.source.localeCompare(right.source),
    );
}
