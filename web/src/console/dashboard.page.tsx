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
import { operatorApi, unwrap } from "../api/client";
import { ratings } from "../api/rating";
import type { paths } from "../api/schema.gen";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScrollRegion } from "../ui/scroll-region";
import { sourceRates } from "./source-outliers";

/** Fills for the rating series: each at least 3:1 against white (WCAG 1.4.11). */
export const ratingFills = {
  AAA: "#1b6e3a",
  AA: "#3f8a25",
  A: "#2b6cb0",
  B: "#a36a12",
  C: "#c05621",
  D: "#c53030",
} as const;

const axisTick = { fill: "#3d4650", fontSize: 12 };

/** Legends in the series' own order, their text in ink (the swatch carries the colour). */
const legendProps = {
  itemSorter: null,
  formatter: (value: string) => <span className="legend-text">{value}</span>,
} as const;

type Statistics = paths["/v1/statistics"]["get"]["responses"][200]["content"]["application/json"];

/** The admin's overview: ratings by region, entries by type, appeals and reversals per source. */
export default function DashboardPage() {
  const { t } = useI18n();
  const format = useFormats();
  const statistics = useResource(() => unwrap(operatorApi.GET("/v1/statistics")), []);
  return (
    <Page title={t("console.dashboard.title")}>
      <Loaded resource={statistics}>
        {(statistics) => (
          <>
            <p className="muted">
              {t("console.dashboard.asOf", { date: format.dateTime(statistics.at) })}
            </p>
            <dl className="tiles">
              <div>
                <dt>{t("console.dashboard.subjects")}</dt>
                <dd>{format.number(statistics.counts.subjects)}</dd>
              </div>
              <div>
                <dt>{t("console.dashboard.entries")}</dt>
                <dd>{format.number(statistics.counts.entries)}</dd>
              </div>
              <div>
                <dt>{t("console.dashboard.sources")}</dt>
                <dd>{format.number(statistics.counts.sources)}</dd>
              </div>
            </dl>
            <div className="dashboard-grid">
              <RatingsByRegion rows={statistics.ratingsByRegion} />
              <EntriesByType rows={statistics.entriesByType} />
            </div>
            <AppealsBySource rows={statistics.appealsBySource} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

function RatingsByRegion({ rows }: Readonly<{ rows: Statistics["ratingsByRegion"] }>) {
  const { t } = useI18n();
  const regions = new Map<string, Record<string, number | string>>();
  for (const row of rows) {
    const region = regions.get(row.region) ?? { region: row.region };
    region[row.rating] = row.subjects;
    regions.set(row.region, region);
  }
  const data = [...regions.values()];
  return (
    <section className="card" aria-labelledby="ratings-heading">
      <h2 id="ratings-heading">{t("console.dashboard.ratingsByRegion")}</h2>
      <p className="muted">{t("console.dashboard.ratingsNote")}</p>
      <div className="chart-area" role="img" aria-label={t("console.dashboard.ratingsChart")}>
        <ResponsiveContainer width="100%" height={Math.max(200, 40 * data.length + 80)}>
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tick={axisTick} allowDecimals={false} />
            <YAxis type="category" dataKey="region" tick={axisTick} width={96} />
            <Tooltip />
            <Legend {...legendProps} />
            {ratings.map((rating) => (
              <Bar
                key={rating}
                dataKey={rating}
                stackId="ratings"
                fill={ratingFills[rating]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{t("console.dashboard.asTable")}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("console.dashboard.region")}</th>
              {ratings.map((rating) => (
                <th key={rating} scope="col">
                  {rating}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={String(row.region)}>
                <th scope="row">{row.region}</th>
                {ratings.map((rating) => (
                  <td key={rating}>{row[rating] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function EntriesByType({ rows }: Readonly<{ rows: Statistics["entriesByType"] }>) {
  const { t } = useI18n();
  const data = [...rows].sort((left, right) => right.entries - left.entries);
  return (
    <section className="card" aria-labelledby="types-heading">
      <h2 id="types-heading">{t("console.dashboard.entriesByType")}</h2>
      <div className="chart-area" role="img" aria-label={t("console.dashboard.typesChart")}>
        <ResponsiveContainer width="100%" height={Math.max(200, 28 * data.length + 60)}>
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tick={axisTick} allowDecimals={false} />
            <YAxis
              type="category"
              dataKey="type"
              tick={{ ...axisTick, fontSize: 11 }}
              width={200}
            />
            <Tooltip />
            <Bar
              dataKey="entries"
              name={t("console.dashboard.entries")}
              fill="#1f4e79"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{t("console.dashboard.asTable")}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("console.dashboard.type")}</th>
              <th scope="col">{t("console.dashboard.entries")}</th>
              <th scope="col">{t("console.dashboard.pointsCounting")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.type}>
                <th scope="row">
                  <code>{row.type}</code>
                </th>
                <td>{row.entries}</td>
                <td>{row.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function AppealsBySource({ rows }: Readonly<{ rows: Statistics["appealsBySource"] }>) {
  const { t } = useI18n();
  const format = useFormats();
  const rates = sourceRates(rows);
  const chart = rates.map((row) => ({
    source: row.source,
    appealRate: Math.round(row.appealRate * 1000) / 10,
    reversalRate: Math.round(row.reversalRate * 1000) / 10,
  }));
  return (
    <section className="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">{t("console.dashboard.appealsBySource")}</h2>
      <p className="muted">{t("console.dashboard.outlierNote")}</p>
      <div className="chart-area" role="img" aria-label={t("console.dashboard.sourcesChart")}>
        <ResponsiveContainer width="100%" height={Math.max(200, 48 * chart.length + 80)}>
          <BarChart data={chart} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" unit="%" tick={axisTick} />
            <YAxis type="category" dataKey="source" tick={axisTick} width={130} />
            <Tooltip />
            <Legend {...legendProps} />
            <Bar
              dataKey="appealRate"
              name={t("console.dashboard.appealRate")}
              fill="#a36a12"
              isAnimationActive={false}
            />
            <Bar
              dataKey="reversalRate"
              name={t("console.dashboard.reversalRate")}
              fill="#c53030"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ScrollRegion label={t("console.dashboard.appealsBySource")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("console.dashboard.source")}</th>
              <th scope="col">{t("console.dashboard.entries")}</th>
              <th scope="col">{t("console.dashboard.appeals")}</th>
              <th scope="col">{t("console.dashboard.reversed")}</th>
              <th scope="col">{t("console.dashboard.reversalRate")}</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((row) => (
              <tr key={row.source} className={row.outlier ? "outlier" : undefined}>
                <th scope="row">
                  {row.source}
                  {row.outlier ? (
                    <span className="badge tone-danger">{t("console.dashboard.standsOut")}</span>
                  ) : null}
                </th>
                <td>{row.entries}</td>
                <td>{row.appeals}</td>
                <td>{row.reversed}</td>
                <td>{format.percent(row.reversalRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
