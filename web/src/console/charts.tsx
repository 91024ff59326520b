import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";

/** Fills for the rating series: each at least 3:1 against white (WCAG 1.4.11). */
export const ratingFills = {
  AAA: "#1b6e3a",
  AA: "#3f8a25",
  A: "#2b6cb0",
  B: "#a36a12",
  C: "#c05621",
  D: "#c53030",
} as const;

/** Axis figures in muted ink, readable on white (4.5:1). */
export const axisTick = { fill: "#3d4650", fontSize: 12 } as const;

/** Legends in the series' own order, their text in ink (the swatch carries the colour). */
export const legendProps = {
  itemSorter: null,
  formatter: (value: string) => <span className="legend-text">{value}</span>,
} as const;

export type BarSeries = Readonly<{
  dataKey: string;
  name?: string;
  fill: string;
  stackId?: string;
}>;

/**
 * Horizontal bars, one row per category, as the dashboard draws them. The chart is one image
 * named by `label` for screen readers: its figures must also be on the page as text (a table).
 */
export function HorizontalBars({
  label,
  data,
  categoryKey,
  categoryWidth,
  categoryFontSize = axisTick.fontSize,
  rowHeight,
  bars,
  unit,
  legend = false,
}: Readonly<{
  label: string;
  data: readonly object[];
  categoryKey: string;
  categoryWidth: number;
  categoryFontSize?: number;
  /** Pixels per category; the chart is at least 200 pixels high. */
  rowHeight: number;
  bars: readonly BarSeries[];
  /** The values' unit, e.g. "%"; without one they are whole numbers. */
  unit?: string;
  legend?: boolean;
}>) {
  const format = useFormats();
  const height = Math.max(200, rowHeight * data.length + (legend ? 80 : 60));
  return (
    <div className="chart-area" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={[...data]} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            tick={axisTick}
            tickFormatter={(value: number) => format.number(value)}
            {...(unit === undefined ? { allowDecimals: false } : { unit })}
          />
          <YAxis
            type="category"
            dataKey={categoryKey}
            tick={{ ...axisTick, fontSize: categoryFontSize }}
            width={categoryWidth}
          />
          <Tooltip />
          {legend ? <Legend {...legendProps} /> : null}
          {bars.map((bar) => (
            <Bar
              key={bar.dataKey}
              dataKey={bar.dataKey}
              name={bar.name}
              stackId={bar.stackId}
              fill={bar.fill}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A chart's figures as a table, folded away under "Show as a table". */
export function FiguresTable({ children }: Readonly<{ children: ReactNode }>) {
  const { t } = useI18n();
  return (
    <details>
      <summary>{t("console.dashboard.asTable")}</summary>
      {children}
    </details>
  );
}
