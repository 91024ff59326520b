import { useState } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { type Rating, ratings } from "../api/rating";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { SelectField } from "../ui/field";
import { ScrollTable } from "../ui/scroll-table";
import { Segmented } from "../ui/segmented";
import { axisTick, FiguresTable, legendProps, ratingFills } from "./charts";
import type { Statistics } from "./dashboard.page";

type OverTime = Statistics["ratingsOverTime"];
type Point = { at: number } & Record<Rating, number>;

/** The region choice that adds up every region. */
const everyRegion = "";
const scales = ["people", "shares"] as const;

/**
 * How the ratings of one region, or of all, moved week by week: stacked areas of the people in
 * each rating (or of their shares), and the same figures as a table.
 */
export function RatingsOverTime({ overTime }: Readonly<{ overTime: OverTime }>) {
  const { t } = useI18n();
  const format = useFormats();
  const regions = [...new Set(overTime.series.map((series) => series.region))];
  const [region, setRegion] = useState(everyRegion);
  const [scale, setScale] = useState<(typeof scales)[number]>("people");
  const regionName = (choice: string) =>
    choice === everyRegion ? t("console.dashboard.allRegions") : choice;
  const points = pointsOf(overTime, region);
  // Before anyone was enrolled there are no shares to draw.
  const plotted = scale === "shares" ? points.filter((point) => peopleAt(point) > 0) : points;
  const date = (at: number) => format.date(new Date(at).toISOString());
  return (
    <section className="card" aria-labelledby="over-time-heading">
      <h2 id="over-time-heading">{t("console.dashboard.ratingsOverTime")}</h2>
      <p className="muted">{t("console.dashboard.overTimeNote")}</p>
      <div className="chart-controls form-row">
        <SelectField
          label={t("console.dashboard.region")}
          value={region}
          options={[everyRegion, ...regions]}
          optionLabel={regionName}
          onChange={setRegion}
        />
        <Segmented
          legend={t("console.dashboard.show")}
          value={scale}
          options={scales}
          optionLabel={(option) => t(`console.dashboard.${option}`)}
          onChange={setScale}
        />
      </div>
      <div
        className="chart-area"
        role="img"
        aria-label={t("console.dashboard.overTimeChart", { region: regionName(region) })}
      >
        <ResponsiveContainer width="100%" height={260}>
          <AreaChart
            data={plotted}
            stackOffset={scale === "shares" ? "expand" : "none"}
            margin={{ top: 8, left: 8, right: 16 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={date}
              tick={axisTick}
              minTickGap={24}
            />
            <YAxis
              tick={axisTick}
              allowDecimals={scale === "shares"}
              tickFormatter={scale === "shares" ? format.percent : format.number}
              width={56}
            />
            <Tooltip labelFormatter={(at) => date(Number(at))} />
            <Legend {...legendProps} />
            {ratings.map((rating) => (
              <Area
                key={rating}
                dataKey={rating}
                stackId="ratings"
                type="linear"
                stroke="none"
                fill={ratingFills[rating]}
                fillOpacity={1}
                legendType="square"
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <FiguresTable>
        <ScrollTable
          label={t("console.dashboard.overTimeChart", { region: regionName(region) })}
          columns={[t("console.dashboard.date"), ...ratings]}
        >
          {points.map((point) => (
            <tr key={point.at}>
              <th scope="row">{date(point.at)}</th>
              {ratings.map((rating) => (
                <td key={rating}>{format.number(point[rating])}</td>
              ))}
            </tr>
          ))}
        </ScrollTable>
      </FiguresTable>
    </section>
  );
}

/** At each point, the people in each rating in `region`, or in every region added up. */
function pointsOf(overTime: OverTime, region: string): Point[] {
  const points = overTime.points.map((at) => ({
    at: Date.parse(at),
    AAA: 0,
    AA: 0,
    A: 0,
    B: 0,
    C: 0,
    D: 0,
  }));
  for (const series of overTime.series) {
    if (region !== everyRegion && series.region !== region) continue;
    series.subjects.forEach((subjects, index) => {
      const point = points[index];
      if (point) point[series.rating] += subjects;
    });
  }
  return points;
}

function peopleAt(point: Point): number {
  return ratings.reduce((sum, rating) => sum + point[rating], 0);
}
