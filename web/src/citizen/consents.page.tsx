import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { citizenApi, type Schemas, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { consentPurposes } from "../api/vocabulary";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { ConfirmButton } from "../ui/confirm-button";
import { SelectField, TextField } from "../ui/field";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ProblemMessage, problemIdFor } from "../ui/problem-message";

/** The API accepts a consent of at most 365 days. */
const consentDaysMax = 365;
const consentDaysDefault = 90;
const dayMilliseconds = 86_400_000;

type Consent = Schemas["Consent"];
type ConsentPurpose = (typeof consentPurposes)[number];

/** "2027-02-24", `days` from today (UTC), as a date input wants it. */
function dateInDays(days: number): string {
  return new Date(Date.now() + days * dayMilliseconds).toISOString().slice(0, 10);
}

/** Consents: which partner may ask for which purpose until when; grant and revoke. */
export default function ConsentsPage() {
  const { t, label } = useI18n();
  const consents = useResource(() => unwrap(citizenApi.GET("/v1/me/consents")), []);
  const [error, setError] = useState<unknown>();
  // One success line for the page: a revocation replaces the line of the last consent given.
  const [done, setDone] = useState<string>();
  // The revoked consent's button is gone once the list reloads: focus goes to what happened.
  const doneRef = useRef<HTMLParagraphElement>(null);
  const [revoked, setRevoked] = useState(0);
  useEffect(() => {
    if (revoked > 0) doneRef.current?.focus();
  }, [revoked]);
  const revoke = async (consent: Consent) => {
    setError(undefined);
    setDone(undefined);
    try {
      const id = consent.id;
      await unwrap(citizenApi.DELETE("/v1/me/consents/{id}", { params: { path: { id } } }));
      setDone(
        t("consents.revoked", {
          partner: consent.partner,
          purpose: label("purpose", consent.purpose),
        }),
      );
      setRevoked((count) => count + 1);
      consents.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Page title={t("consents.title")} intro={t("consents.intro")}>
      <GrantForm
        onGranted={(granted) => {
          setError(undefined);
          setDone(t("consents.granted", { partner: granted.partner }));
          consents.reload();
        }}
        onEdit={() => setDone(undefined)}
      />
      <section aria-labelledby="consents-list-heading">
        <h2 id="consents-list-heading">{t("consents.listHeading")}</h2>
        <ProblemMessage error={error} />
        {done ? (
          <p role="status" className="success" ref={doneRef} tabIndex={-1}>
            {done}
          </p>
        ) : null}
        <Loaded resource={consents}>
          {({ consents }) =>
            consents.length === 0 ? (
              <p>{t("consents.empty")}</p>
            ) : (
              <ul className="plain-list">
                {consents.map((consent) => (
                  <ConsentItem key={consent.id} consent={consent} onRevoke={revoke} />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}

function ConsentItem({
  consent,
  onRevoke,
}: Readonly<{ consent: Consent; onRevoke: (consent: Consent) => void }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  const purpose = label("purpose", consent.purpose);
  return (
    <li className="card consent">
      <div className="entry-head">
        <h3 className="entry-title">
          {consent.partner} · {purpose}
        </h3>
        <span className={`badge ${consent.state === "live" ? "tone-info" : "tone-neutral"}`}>
          {label("consentState", consent.state)}
        </span>
      </div>
      <p className="muted">
        {consent.revokedAt
          ? t("consents.revokedOn", {
              date: format.date(consent.revokedAt),
              from: format.date(consent.grantedAt),
            })
          : t("consents.period", {
              from: format.date(consent.grantedAt),
              until: format.date(consent.until),
            })}
      </p>
      {consent.state === "live" ? (
        <ConfirmButton
          label={t("consents.revoke")}
          accessibleLabel={t("consents.revokeLabel", { partner: consent.partner, purpose })}
          question={t("consents.revokeQuestion", { partner: consent.partner, purpose })}
          onConfirm={() => onRevoke(consent)}
        />
      ) : null}
    </li>
  );
}

function GrantForm({
  onGranted,
  onEdit,
}: Readonly<{ onGranted: (consent: Consent) => void; onEdit: () => void }>) {
  const { t, label } = useI18n();
  const [partner, setPartner] = useState("");
  const [purpose, setPurpose] = useState<ConsentPurpose>("credit");
  const [until, setUntil] = useState(() => dateInDays(consentDaysDefault));
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const consent = await unwrap(
        citizenApi.POST("/v1/me/consents", {
          body: { partner: partner.trim(), purpose, until: `${until}T00:00:00Z` },
        }),
      );
      setPartner("");
      onGranted(consent);
    } catch (caught) {
      setError(caught);
    }
  };
  const edited = () => {
    setError(undefined);
    onEdit();
  };
  const problemId = useId();
  const problemIdOf = (name: string) => problemIdFor(error, name, problemId);
  return (
    <section className="card" aria-labelledby="grant-heading">
      <h2 id="grant-heading">{t("consents.grantHeading")}</h2>
      <form onSubmit={submit} onChange={edited} className="form-grid">
        <TextField
          label={t("consents.partner")}
          hint={t("consents.partnerHint")}
          required
          autoComplete="off"
          pattern="[A-Za-z0-9._:@\-]{1,64}"
          problemId={problemIdOf("partner")}
          value={partner}
          onChange={setPartner}
        />
        <SelectField
          label={t("consents.purpose")}
          problemId={problemIdOf("purpose")}
          value={purpose}
          options={consentPurposes}
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
          problemId={problemIdOf("until")}
          value={until}
          onChange={setUntil}
        />
        <ProblemMessage
          error={error}
          id={problemId}
          fields={{
            partner: { label: t("consents.partner") },
            purpose: { label: t("consents.purpose") },
            until: { label: t("consents.until") },
          }}
        />
        <button type="submit" className="button">
          {t("consents.grant")}
        </button>
      </form>
    </section>
  );
}
