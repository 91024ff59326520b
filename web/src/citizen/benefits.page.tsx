import { citizenApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";

/** Each programme: its condition, whether eligible now, and the progress towards it. */
export default function BenefitsPage() {
  const { t } = useI18n();
  const format = useFormats();
  const benefits = useResource(() => unwrap(citizenApi.GET("/v1/me/benefits")), []);
  return (
    <Page title={t("benefits.title")} intro={t("benefits.intro")}>
      <Loaded resource={benefits}>
        {({ benefits }) => (
          <ul className="plain-list">
            {benefits.map((benefit) => {
              const required = Math.max(benefit.requiredDays, 1);
              const held = Math.min(benefit.heldDays, required);
              return (
                <li key={benefit.benefitId} className="card benefit">
                  <div className="entry-head">
                    <h2 className="entry-title">{benefit.name}</h2>
                    <span className={`badge ${benefit.eligible ? "tone-good" : "tone-neutral"}`}>
                      {benefit.eligible ? t("benefits.eligible") : t("benefits.notEligible")}
                    </span>
                  </div>
                  <p>{benefit.description}</p>
                  <p className="muted">
                    {benefit.requiredDays === 0
                      ? t("benefits.requiresNow", { rating: benefit.ratingMin })
                      : t("benefits.requires", {
                          rating: benefit.ratingMin,
                          days: benefit.requiredDays,
                        })}
                  </p>
                  {benefit.requiredDays > 0 ? (
                    <div className="progress">
                      <progress
                        max={required}
                        value={held}
                        aria-label={t("benefits.progressLabel", { name: benefit.name })}
                      />
                      <span>
                        {/* Past the requirement the bar is full; the days held beyond it are said. */}
                        {benefit.heldDays > benefit.requiredDays
                          ? t("benefits.progressBeyond", {
                              held: format.number(benefit.heldDays),
                              required: format.number(benefit.requiredDays),
                            })
                          : t("benefits.progress", {
                              held: format.number(benefit.heldDays),
                              required: format.number(benefit.requiredDays),
                            })}
                      </span>
                    </div>
                  ) : null}
                  {benefit.heldSince ? (
                    <p className="muted">
                      {t("benefits.heldSince", {
                        rating: benefit.ratingMin,
                        date: format.date(benefit.heldSince),
                      })}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
    </Page>
  );
}
