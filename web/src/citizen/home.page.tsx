import { lazy, Suspense } from "react";
import { Link } from "react-router";
import { citizenApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScoreGauge } from "./score-gauge";

// The chart library is the app's largest dependency: it loads after the score is on screen.
const ScoreChart = lazy(() => import("./score-chart"));

/** The home screen: score, rating, its date, the last 30 days, and the score over time. */
export default function HomePage() {
  const { t } = useI18n();
  const format = useFormats();
  const me = useResource(() => unwrap(citizenApi.GET("/v1/me")), []);
  const rulebook = useResource(() => unwrap(citizenApi.GET("/v1/rulebook")), []);
  return (
    <Page title={t("home.title")}>
      <Loaded resource={me}>
        {(me) => (
          <>
            <section className="card score-card" aria-labelledby="score-heading">
              <h2 id="score-heading" className="visually-hidden">
                {t("home.scoreHeading")}
              </h2>
              <ScoreGauge
                score={me.score}
                rating={me.rating}
                thresholds={rulebook.data?.ratingThresholds}
              />
              <p className="score-summary">
                {t("home.scoreSummary", { score: me.score, rating: me.rating })}
              </p>
              <p className="muted">{t("home.asOf", { date: format.dateTime(me.asOf) })}</p>
              <p className="change">
                {me.recentChange.points === 0
                  ? t("home.noChange", { days: me.recentChange.days })
                  : t("home.change", {
                      points: format.points(me.recentChange.points),
                      days: me.recentChange.days,
                      ratingThen: me.recentChange.ratingThen,
                    })}
              </p>
              <dl className="facts">
                <div>
                  <dt>{t("home.gained")}</dt>
                  <dd>{format.points(me.pointsGained)}</dd>
                </div>
                <div>
                  <dt>{t("home.lost")}</dt>
                  <dd>{format.points(-Math.abs(me.pointsLost))}</dd>
                </div>
                <div>
                  <dt>{t("home.counting")}</dt>
                  <dd>{me.entriesCounting}</dd>
                </div>
                <div>
                  <dt>{t("home.openAppeals")}</dt>
                  <dd>{me.openAppeals}</dd>
                </div>
              </dl>
              {me.nextExpiry ? (
                <p className="muted">
                  {t("home.nextExpiry", {
                    date: format.date(me.nextExpiry.at),
                    points: format.points(me.nextExpiry.points),
                  })}{" "}
                  <Link to={`/history/${me.nextExpiry.entryId}`}>{t("home.seeEntry")}</Link>
                </p>
              ) : null}
            </section>
            <section className="card" aria-labelledby="chart-heading">
              <h2 id="chart-heading">{t("home.chartHeading")}</h2>
              <p className="muted">{t("home.chartNote")}</p>
              <Suspense
                fallback={
                  <p className="muted" role="status">
                    {t("common.loading")}
                  </p>
                }
              >
                <ScoreChart thresholds={rulebook.data?.ratingThresholds} />
              </Suspense>
            </section>
            <nav className="card link-list" aria-label={t("home.shortcuts")}>
              <Link to="/history">{t("home.linkHistory")}</Link>
              <Link to="/access-log">{t("home.linkAccessLog")}</Link>
              <Link to="/benefits">{t("home.linkBenefits")}</Link>
              <Link to="/rules">{t("home.linkRules")}</Link>
            </nav>
          </>
        )}
      </Loaded>
    </Page>
  );
}
