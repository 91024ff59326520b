import { citizenApi, unwrap } from "../api/client";
import { usePages } from "../api/use-pages";
import { useFormats } from "../i18n/format";
import { type Translate, useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { focusWhenShown, ShowOlder } from "../ui/show-older";

/** Inquiries a page of the log holds: the newest come first, older ones on demand. */
const inquiriesPerPage = 100;

/** Every inquiry: who, their kind, the purpose, when, what they asked and learned, allowed. */
export default function AccessLogPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const { resource, older } = usePages(async (after) => {
    const query = { after, limit: inquiriesPerPage };
    const answer = await unwrap(citizenApi.GET("/v1/me/inquiries", { params: { query } }));
    return { items: answer.inquiries, next: answer.next };
  }, []);
  return (
    <Page title={t("accessLog.title")} intro={t("accessLog.intro")}>
      <Loaded resource={resource}>
        {(inquiries) =>
          inquiries.length === 0 ? (
            <p>{t("accessLog.empty")}</p>
          ) : (
            <ul className="plain-list">
              {inquiries.map((inquiry, index) => (
                <li
                  key={inquiry.id}
                  className="card inquiry"
                  tabIndex={-1}
                  ref={index === older.startIndex ? focusWhenShown : undefined}
                >
                  <div className="entry-head">
                    <h2 className="entry-title">
                      {inquiry.partner}
                      {inquiry.partnerKind ? (
                        <span className="muted">
                          {" "}
                          · {label("partnerKind", inquiry.partnerKind)}
                        </span>
                      ) : null}
                    </h2>
                    <span className={`badge ${inquiry.allowed ? "tone-info" : "tone-warning"}`}>
                      {inquiry.allowed ? t("accessLog.allowed") : t("accessLog.refused")}
                    </span>
                  </div>
                  <dl className="details compact">
                    <dt>{t("accessLog.when")}</dt>
                    <dd>{format.dateTime(inquiry.at)}</dd>
                    <dt>{t("accessLog.purpose")}</dt>
                    <dd>{label("purpose", inquiry.purpose)}</dd>
                    <dt>{t("accessLog.asked")}</dt>
                    <dd>{label("disclosure", inquiry.disclosure)}</dd>
                    <dt>{t("accessLog.learned")}</dt>
                    <dd>{disclosedText(inquiry.disclosed, t)}</dd>
                    {inquiry.refusal ? (
                      <>
                        <dt>{t("accessLog.refusal")}</dt>
                        <dd>{label("refusal", inquiry.refusal)}</dd>
                      </>
                    ) : null}
                  </dl>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <ShowOlder older={older} label={t("accessLog.showOlder")} />
    </Page>
  );
}

/** Exactly what the partner learned, in words: "Your rating: A"; nothing when refused. */
function disclosedText(disclosed: Record<string, unknown>, t: Translate): string {
  const parts = Object.entries(disclosed).flatMap(([key, value]) => {
    if (key === "rating") return [t("accessLog.learnedRating", { value: String(value) })];
    if (key === "score") return [t("accessLog.learnedScore", { value: String(value) })];
    if (key === "eligible") {
      return [
        t("accessLog.learnedEligible", { value: t(value ? "accessLog.yes" : "accessLog.no") }),
      ];
    }
    // The programme asked about is shown with the answer above; anything new as it is.
    return key === "benefitId" ? [] : [`${key}: ${String(value)}`];
  });
  return parts.length === 0 ? t("accessLog.nothing") : parts.join(", ");
}
