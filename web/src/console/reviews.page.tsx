import { useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { DecisionForm } from "./decision-form";
import { ReviewEntryFacts } from "./review-entry";

/** The review queue: automatic attributions below the confidence threshold, oldest first. */
export default function ReviewsPage() {
  const { t } = useI18n();
  const queue = useResource(
    () => unwrap(operatorApi.GET("/v1/reviews", { params: { query: { limit: 200 } } })),
    [],
  );
  const [done, setDone] = useState<string>();
  return (
    <Page title={t("console.reviews.title")} intro={t("console.reviews.intro")}>
      {done ? (
        <p role="status" className="success">
          {done}
        </p>
      ) : null}
      <Loaded resource={queue}>
        {({ entries, cameraConfidenceMin }) =>
          entries.length === 0 ? (
            <p>{t("console.reviews.empty")}</p>
          ) : (
            <ul className="plain-list">
              {entries.map((entry) => (
                <li key={entry.id} className="card">
                  <h2 className="entry-title">{t("console.reviews.entry", { id: entry.id })}</h2>
                  <ReviewEntryFacts entry={entry} confidenceMin={cameraConfidenceMin} />
                  <DecisionForm
                    reasonLabel={t("console.reviews.reason", { id: entry.id })}
                    choices={[
                      { decision: "confirm", label: t("console.reviews.confirm"), tone: "primary" },
                      { decision: "reject", label: t("console.reviews.reject"), tone: "danger" },
                    ]}
                    onDecide={async (decision, reason) => {
                      await unwrap(
                        operatorApi.POST("/v1/reviews/{entryId}", {
                          params: { path: { entryId: entry.id } },
                          body: { decision, reason },
                        }),
                      );
                      setDone(t(`console.reviews.done.${decision}`, { id: entry.id }));
                      queue.reload();
                    }}
                  />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Page>
  );
}
