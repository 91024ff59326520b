import { operatorApi, unwrap } from "../api/client";
import { ratings } from "../api/rating";
import type { paths } from "../api/schema.gen";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScrollTable } from "../ui/scroll-table";
import { Tiles } from "../ui/tiles";
import { FiguresTable, HorizontalBars, ratingFills } from "./charts";
import { RatingsOverTime } from "./ratings-over-time";
import { sourceRates } from "./source-outliers";

export type Statistics =
  paths["/v1/statistics"]["get"]["responses"][200]["content"]["application/json"];

/**
 * The admin's overview: ratings by region now and over the last year, entries by type, appeals
 * and reversals per source.
 */
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
            <Tiles
              tiles={[
                [t("console.dashboard.subjects"), format.number(statistics.counts.subjects)],
                [t("console.dashboard.entries"), format.number(statistics.counts.entries)],
                [t("console.dashboard.sources"), format.number(statistics.counts.sources)],
              ]}
            />
            <div className="dashboard-grid">
              <RatingsByRegion rows={statistics.ratingsByRegion} />
              <EntriesByType rows={statistics.entriesByType} />
            </div>
            <RatingsOverTime overTime={statistics.ratingsOverTime} />
            <AppealsBySource rows={statistics.appealsBySource} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

function RatingsByRegion({ rows }: Readonly<{ rows: Statistics["ratingsByRegion"] }>) {
  const { t } = useI18n();
  const format = useFormats();
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
      <HorizontalBars
        label={t("console.dashboard.ratingsChart")}
        data={data}
        categoryKey="region"
        categoryWidth={96}
        rowHeight={40}
        legend
        bars={ratings.map((rating) => ({
          dataKey: rating,
          fill: ratingFills[rating],
          stackId: "ratings",
        }))}
      />
      <FiguresTable>
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
                  <td key={rating}>{format.number(Number(row[rating] ?? 0))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </section>
  );
}

function EntriesByType({ rows }: Readonly<{ rows: Statistics["entriesByType"] }>) {
  const { t } = useI18n();
  const format = useFormats();
  const data = [...rows].sort((left, right) => right.entries - left.entries);
  return (
    <section className="card" aria-labelledby="types-heading">
      <h2 id="types-heading">{t("console.dashboard.entriesByType")}</h2>
      <HorizontalBars
        label={t("console.dashboard.typesChart")}
        data={data}
        categoryKey="type"
        categoryWidth={200}
        categoryFontSize={11}
        rowHeight={28}
        bars={[{ dataKey: "entries", name: t("console.dashboard.entries"), fill: "#1f4e79" }]}
      />
      <FiguresTable>
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
                <td>{format.number(row.entries)}</td>
                <td>{format.number(row.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
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
      <HorizontalBars
        label={t("console.dashboard.sourcesChart")}
        data={chart}
        categoryKey="source"
        categoryWidth={130}
        rowHeight={48}
        unit="%"
        legend
        bars={[
          { dataKey: "appealRate", name: t("console.dashboard.appealRate"), fill: "#a36a12" },
          { dataKey: "reversalRate", name: t("console.dashboard.reversalRate"), fill: "#c53030" },
        ]}
      />
      <ScrollTable
        label={t("console.dashboard.appealsBySource")}
        columns={[
          t("console.dashboard.source"),
          t("console.dashboard.entries"),
          t("console.dashboard.appeals"),
          t("console.dashboard.reversed"),
          t("console.dashboard.reversalRate"),
        ]}
      >
        {rates.map((row) => (
          <tr key={row.source} className={row.outlier ? "outlier" : undefined}>
            <th scope="row">
              {row.source}
              {row.outlier ? (
                <span className="badge tone-danger">{t("console.dashboard.standsOut")}</span>
              ) : null}
            </th>
            <td>{format.number(row.entries)}</td>
            <td>{format.number(row.appeals)}</td>
            <td>{format.number(row.reversed)}</td>
            <td>{format.rate(row.reversalRate)}</td>
          </tr>
        ))}
      </ScrollTable>
    </section>
  );
}
