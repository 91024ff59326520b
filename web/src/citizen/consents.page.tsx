import { type FormEvent, useState } from "react";
import { citizenApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { type Purpose, purposes } from "../api/vocabulary";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { SelectField, TextField } from "../ui/field";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";

/** The API accepts a consent of at most 365 days. */
const consentDaysMax = 365;
const consentDaysDefault = 90;
const dayMilliseconds = 86_400_000;

/** "2027-02-24", `days` from today (UTC), as a date input wants it. */
function dateInDays(days: number): string {
  return new Date(Date.now() + days * dayMilliseconds).toISOString().slice(0, 10);
}

/** Consents: which partner may ask for which purpose until when; grant and revoke. */
export default function ConsentsPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const consents = useResource(() => unwrap(citizenApi.GET("/v1/me/consents")), []);
  const [error, setError] = useState<unknown>();
  const revoke = async (id: number) => {
    setError(undefined);
    try {
      await unwrap(citizenApi.DELETE("/v1/me/consents/{id}", { params: { path: { id } } }));
      consents.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Page title={t("consents.title")} intro={t("consents.intro")}>
      <GrantForm onGranted={consents.reload} />
      <section aria-labelledby="consents-list-heading">
        <h2 id="consents-list-heading">{t("consents.listHeading")}</h2>
        <ProblemMessage error={error} />
        <Loaded resource={consents}>
          {({ consents }) =>
            consents.length === 0 ? (
              <p>{t("consents.empty")}</p>
            ) : (
              <ul className="plain-list">
                {consents.map((consent) => (
                  <li key={consent.id} className="card consent">
                    <div className="entry-head">
                      <h3 className="entry-title">
                        {consent.partner} · {label("purpose", consent.purpose)}
                      </h3>
                      <span
                        className={`badge ${consent.state === "live" ? "tone-info" : "tone-neutral"}`}
                      >
                        {label("consentState", consent.state)}
                      </span>
                    </div>
                    <p className="muted">
                      {t("consents.period", {
                        from: format.date(consent.grantedAt),
                        until: format.date(consent.revokedAt ?? consent.until),
                      })}
                    </p>
                    {consent.state === "live" ? (
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => revoke(consent.id)}
                        aria-label={t("consents.revokeLabel", {
                          partner: consent.partner,
                          purpose: label("purpose", consent.purpose),
                        })}
                      >
                        {t("consents.revoke")}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}

function GrantForm({ onGranted }: Readonly<{ onGranted: () => void }>) {
  const { t, label } = useI18n();
  const [partner, setPartner] = useState("");
  const [purpose, setPurpose] = useState<Purpose>("credit");
  const [until, setUntil] = useState(() => dateInDays(consentDaysDefault));
  const [error, setError] = useState<unknown>();
  const [granted, setGranted] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setGranted(undefined);
    try {
      const consent = await unwrap(
        citizenApi.POST("/v1/me/consents", {
          body: { partner: partner.trim(), purpose, until: `${until}T00:00:00Z` },
        }),
      );
      setGranted(t("consents.granted", { partner: consent.partner }));
      setPartner("");
      onGranted();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section className="card" aria-labelledby="grant-heading">
      <h2 id="grant-heading">{t("consents.grantHeading")}</h2>
      <form onSubmit={submit} className="form-grid">
        <TextField
          label={t("consents.partner")}
          hint={t("consents.partnerHint")}
          required
          autoComplete="off"
          pattern="[A-Za-z0-9._:@\-]{1,64}"
          value={partner}
          onChange={setPartner}
        />
        <SelectField
          label={t("consents.purpose")}
          value={purpose}
          options={purposes}
          optionLabel={(option) => label("purpose", option)}
          onChange={setPurpose}
        />
        <TextField
          label={t("consents.until")}
          hint={t("consents.untilHint", { days: consentDaysMax })}
          type="date"
          required
          min={dateInDays(1)}
          max={dateInDays(consentDaysMax - 1)}
          value={until}
          onChange={setUntil}
        />
        <ProblemMessage error={error} />
        {granted ? (
          <p role="status" className="success">
            {granted}
          </p>
        ) : null}
        <button type="submit" className="button">
          {t("consents.grant")}
        </button>
      </form>
    </section>
  );
}
