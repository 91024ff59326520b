import { useId, useState } from "react";
import { citizenApi, type Schemas, unwrap } from "../api/client";
import { ratingBands } from "../api/rating";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";

/** How points work: the rulebook in force, in plain words, searchable. Public: no secret rules. */
export default function RulesPage() {
  const { t } = useI18n();
  const rulebook = useResource(() => unwrap(citizenApi.GET("/v1/rulebook")), []);
  const [query, setQuery] = useState("");
  const searchId = useId();
  return (
    <Page title={t("rules.title")} intro={t("rules.intro")}>
      <Loaded resource={rulebook}>
        {(rulebook) => {
          const words = query.toLowerCase().split(/\s+/).filter(Boolean);
          const rules = rulebook.rules.filter((rule) => {
            const text =
              `${rule.type} ${rule.category} ${rule.description} ${rule.legalBasis}`.toLowerCase();
            return words.every((word) => text.includes(word));
          });
          return (
            <>
              <Basics rulebook={rulebook} />
              <search className="field search">
                <label htmlFor={searchId}>{t("rules.search")}</label>
                <input
                  id={searchId}
                  type="search"
                  value={query}
                  onChange={(event) => setQuery(event.target.value)}
                />
              </search>
              <p role="status" className="muted">
                {t("rules.count", { shown: rules.length, total: rulebook.rules.length })}
              </p>
              <ul className="plain-list">
                {rules.map((rule) => (
                  <RuleItem key={rule.type} rule={rule} />
                ))}
              </ul>
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function Basics({ rulebook }: Readonly<{ rulebook: Schemas["Rulebook"] }>) {
  const { t } = useI18n();
  const format = useFormats();
  return (
    <section className="card" aria-labelledby="basics-heading">
      <h2 id="basics-heading">{t("rules.basics")}</h2>
      <p>
        {t("rules.version", {
          title: rulebook.title,
          version: rulebook.version,
          date: format.date(rulebook.publishedAt),
        })}
      </p>
      <p>{t("rules.base", { base: rulebook.baseScore })}</p>
      <ul className="rating-scale">
        {ratingBands(rulebook.ratingThresholds).map((band) => (
          <li key={band.rating}>
            <span className={`rating-chip rating-bg-${band.rating}`}>{band.rating}</span>
            {Number.isFinite(band.low)
              ? Number.isFinite(band.high)
                ? t("rules.band", { low: band.low, high: band.high - 1 })
                : t("rules.bandFrom", { low: band.low })
              : t("rules.bandBelow", { high: band.high })}
          </li>
        ))}
      </ul>
      <p>{t("rules.camera", { confidence: format.percent(rulebook.cameraConfidenceMin) })}</p>
      <p>{t("rules.appeal")}</p>
    </section>
  );
}

function RuleItem({ rule }: Readonly<{ rule: Schemas["Rule"] }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  return (
    <li className="card rule">
      <div className="entry-head">
        <h2 className="entry-title">{rule.description}</h2>
        <span className={`points points-${rule.points > 0 ? "gain" : "loss"}`}>
          {t("common.points", { points: format.points(rule.points) })}
        </span>
      </div>
      <p>
        {t("rules.counts", { days: rule.expiresAfterDays })}
        {rule.cap
          ? ` ${t("rules.cap", { points: format.points(rule.cap.points), days: rule.cap.windowDays })}`
          : null}
      </p>
      <dl className="details compact">
        <dt>{t("rules.type")}</dt>
        <dd>
          <code>{rule.type}</code> · {label("category", rule.category)}
        </dd>
        <dt>{t("rules.legalBasis")}</dt>
        <dd>{rule.legalBasis}</dd>
      </dl>
    </li>
  );
}
