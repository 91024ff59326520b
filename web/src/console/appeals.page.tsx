import { useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { DecisionForm } from "./decision-form";
import { ReviewEntryFacts } from "./review-entry";

/** Open appeals, earliest deadline first: uphold the entry or reverse it, with a reason. */
export default function AppealsPage() {
  const { t } = useI18n();
  const format = useFormats();
  const openAppeals = useResource(
    () => unwrap(operatorApi.GET("/v1/appeals", { params: { query: { limit: 200 } } })),
    [],
  );
  const [done, setDone] = useState<string>();
  return (
    <Page title={t("console.appeals.title")} intro={t("console.appeals.intro")}>
      {done ? (
        <p role="status" className="success">
          {done}
        </p>
      ) : null}
      <Loaded resource={openAppeals}>
        {({ appeals }) =>
          appeals.length === 0 ? (
            <p>{t("console.appeals.empty")}</p>
          ) : (
            <ul className="plain-list">
              {appeals.map((appeal) => {
                const daysLeft = format.daysUntil(appeal.deadlineAt);
                return (
                  <li key={appeal.id} className="card">
                    <div className="entry-head">
                      <h2 className="entry-title">
                        {t("console.appeals.appeal", { id: appeal.id, entry: appeal.entryId })}
                      </h2>
                      <span className={`badge ${daysLeft <= 7 ? "tone-danger" : "tone-warning"}`}>
                        {t("console.appeals.deadline", {
                          date: format.date(appeal.deadlineAt),
                          days: Math.max(0, daysLeft),
                        })}
                      </span>
                    </div>
                    <p className="muted">
                      {t("console.appeals.opened", { date: format.dateTime(appeal.openedAt) })}
                    </p>
                    <h3>{t("console.appeals.statement")}</h3>
                    <blockquote>{appeal.statement}</blockquote>
                    {appeal.evidenceUrl ? (
                      <p>
                        <a href={appeal.evidenceUrl} rel="noreferrer noopener" target="_blank">
                          {t("appeal.evidenceLink")}
                        </a>
                      </p>
                    ) : null}
                    {appeal.entry ? <ReviewEntryFacts entry={appeal.entry} /> : null}
                    <DecisionForm
                      reasonLabel={t("console.appeals.reason", { id: appeal.id })}
                      choices={[
                        {
                          decision: "reversed",
                          label: t("console.appeals.reverse"),
                          tone: "primary",
                        },
                        { decision: "upheld", label: t("console.appeals.uphold"), tone: "danger" },
                      ]}
                      onDecide={async (outcome, reason) => {
                        await unwrap(
                          operatorApi.POST("/v1/appeals/{id}/decision", {
                            params: { path: { id: appeal.id } },
                            body: { outcome, reason },
                          }),
                        );
                        setDone(t(`console.appeals.done.${outcome}`, { id: appeal.id }));
                        openAppeals.reload();
                      }}
                    />
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </Page>
  );
}
