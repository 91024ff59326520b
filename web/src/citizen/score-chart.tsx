import { useId, useState } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { citizenApi, unwrap } from "../api/client";
import { type RatingThresholds, ratingBands } from "../api/rating";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Segmented } from "../ui/segmented";

const dayMilliseconds = 86_400_000;
/** The windows a person can look back over, in days; the first year by default. */
const pastDaysChoices = [90, 365, 3 * 365] as const;
/** Known expiries are drawn this far ahead when asked for. */
const futureDays = 365;

/** Space above and below the line, in points, so the nearest rating band shows. */
const marginPoints = 60;
/**
 * The least share of the chart's height a band at its top or bottom edge may show: a thinner
 * sliver would centre its label on the edge, half over the axis (about 20 pixels of 180).
 */
const edgeBandShareMin = 0.12;

/** Rating bands behind the line; light enough for the line and the labels to read on them. */
const bandColours = {
  AAA: "#d8efe0",
  AA: "#e4f3e9",
  A: "#e6f0fa",
  B: "#fdf3d8",
  C: "#fde6d6",
  D: "#f9dcdc",
} as const;

/** The score over time as a step line on the rating bands, with the same figures as a table. */
export default function ScoreChart({ thresholds }: Readonly<{ thresholds?: RatingThresholds }>) {
  const { t } = useI18n();
  const format = useFormats();
  const [pastDays, setPastDays] = useState<number>(365);
  const [withFuture, setWithFuture] = useState(false);
  const futureId = useId();
  const history = useResource(() => {
    const now = Date.now();
    const query = {
      from: new Date(now - pastDays * dayMilliseconds).toISOString(),
      to: new Date(withFuture ? now + futureDays * dayMilliseconds : now).toISOString(),
    };
    return unwrap(citizenApi.GET("/v1/me/score-history", { params: { query } }));
  }, [pastDays, withFuture]);
  return (
    <>
      <div className="chart-controls">
        <Segmented
          legend={t("home.chartRange")}
          value={pastDays}
          options={pastDaysChoices}
          optionLabel={(days) =>
            t(days === 90 ? "home.chart90" : days === 365 ? "home.chart1y" : "home.chart3y")
          }
          onChange={setPastDays}
        />
        <div className="checkbox">
          <input
            id={futureId}
            type="checkbox"
            checked={withFuture}
            onChange={(event) => setWithFuture(event.target.checked)}
          />
          <label htmlFor={futureId}>{t("home.chartFuture")}</label>
        </div>
      </div>
      <Loaded resource={history}>
        {(history) => {
          const points = history.points.map((point) => ({
            at: Date.parse(point.at),
            score: point.score,
            rating: point.rating,
          }));
          const last = points.at(-1);
          // The line runs on to the end of the window at the last known score.
          if (last) points.push({ ...last, at: Date.parse(history.to) });
          const today = Date.now();
          const [low, high] = scoreDomain(
            points.map((point) => point.score),
            thresholds,
          );
          return (
            <figure className="chart">
              <div className="chart-area">
                <ResponsiveContainer width="100%" height={220}>
                  <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                    {thresholds
                      ? ratingBands(thresholds)
                          // Only the bands the window shows: a band outside it would still draw its label.
                          .filter((band) => band.high > low && band.low < high)
                          .map((band) => (
                            <ReferenceArea
                              key={band.rating}
                              y1={Math.max(band.low, low)}
                              y2={Math.min(band.high, high)}
                              fill={bandColours[band.rating]}
                              fillOpacity={1}
                              ifOverflow="hidden"
                              label={{
                                value: band.rating,
                                position: "insideLeft",
                                fill: "#3d4650",
                              }}
                            />
                          ))
                      : null}
                    <CartesianGrid strokeDasharray="3 3" stroke="#c9ced4" vertical={false} />
                    <XAxis
                      dataKey="at"
                      type="number"
                      scale="time"
                      domain={["dataMin", "dataMax"]}
                      tickFormatter={(value: number) => format.date(new Date(value).toISOString())}
                      tick={{ fill: "#3d4650", fontSize: 12 }}
                      minTickGap={24}
                    />
                    <YAxis
                      domain={[low, high]}
                      allowDataOverflow
                      tick={{ fill: "#3d4650", fontSize: 12 }}
                      width={44}
                    />
                    <Tooltip
                      labelFormatter={(value) => format.date(new Date(Number(value)).toISOString())}
                      formatter={(value) => [String(value), t("home.chartScore")]}
                    />
                    {withFuture ? (
                      <ReferenceLine
                        x={today}
                        stroke="#3d4650"
                        strokeDasharray="4 4"
                        label={{
                          value: t("home.chartToday"),
                          position: "insideTopLeft",
                          fill: "#3d4650",
                        }}
                      />
                    ) : null}
                    <Line
                      type="stepAfter"
                      dataKey="score"
                      stroke="#1f4e79"
                      strokeWidth={2.5}
                      dot={false}
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </div>
              <figcaption>
                <details>
                  <summary>{t("home.chartAsTable")}</summary>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t("home.chartSince")}</th>
                        <th scope="col">{t("home.chartScore")}</th>
                        <th scope="col">{t("home.chartRating")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {history.points.map((point) => (
                        <tr key={point.at}>
                          <td>{format.dateTime(point.at)}</td>
                          <td>{point.score}</td>
                          <td>{point.rating}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </figcaption>
            </figure>
          );
        }}
      </Loaded>
    </>
  );
}

/**
 * The scores the chart spans: the line's with a margin, widened where a rating band would show
 * only as a sliver at the top or bottom, so that its label fits inside it.
 */
function scoreDomain(
  scores: readonly number[],
  thresholds: RatingThresholds | undefined,
): [number, number] {
  let low = Math.min(...scores) - marginPoints;
  let high = Math.max(...scores) + marginPoints;
  if (!thresholds) return [low, high];
  const edgePointsMin = Math.ceil((high - low) * edgeBandShareMin);
  for (const band of ratingBands(thresholds)) {
    // A threshold just inside an edge leaves the band beyond it a sliver there.
    if (band.low > low && band.low - low < edgePointsMin) low = band.low - edgePointsMin;
    if (band.high < high && high - band.high < edgePointsMin) high = band.high + edgePointsMin;
  }
  return [low, high];
}
