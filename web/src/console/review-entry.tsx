import type { Schemas } from "../api/client";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { AttributeList, hasAttributes } from "../ui/attributes";
import { EvidenceText } from "../ui/evidence";

/**
 * What a reviewer weighs: who, what, worth how much, reported by whom, on what evidence, with
 * which reported details (a camera's measurements) and where.
 */
export function ReviewEntryFacts({
  entry,
  confidenceMin,
}: Readonly<{ entry: Schemas["ReviewEntry"]; confidenceMin?: number }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  return (
    <dl className="details compact">
      <dt>{t("console.entry.subject")}</dt>
      <dd>
        <code>{entry.subjectId}</code>
      </dd>
      <dt>{t("console.entry.type")}</dt>
      <dd>
        <code>{entry.type}</code> · {entry.reason} (
        {t("common.points", { points: format.points(entry.points) })})
      </dd>
      <dt>{t("console.entry.source")}</dt>
      <dd>
        {entry.source} ({label("sourceKind", entry.sourceKind)})
      </dd>
      <dt>{t("console.entry.evidence")}</dt>
      <dd>
        <EvidenceText evidence={entry.evidence} />
      </dd>
      {hasAttributes(entry.attributes) ? (
        <>
          <dt>{t("console.entry.attributes")}</dt>
          <dd>
            <AttributeList attributes={entry.attributes} />
          </dd>
        </>
      ) : null}
      {entry.confidence === undefined ? null : (
        <>
          <dt>{t("console.entry.confidence")}</dt>
          <dd>
            <meter
              min={0}
              max={1}
              value={entry.confidence}
              low={confidenceMin}
              optimum={1}
              aria-hidden="true"
            />{" "}
            {confidenceMin === undefined
              ? format.percent(entry.confidence)
              : t("console.entry.confidenceOf", {
                  confidence: format.percent(entry.confidence),
                  threshold: format.percent(confidenceMin),
                })}
          </dd>
        </>
      )}
      <dt>{t("console.entry.occurred")}</dt>
      <dd>{format.dateTime(entry.occurredAt)}</dd>
      {entry.region === undefined ? null : (
        <>
          <dt>{t("console.entry.region")}</dt>
          <dd>{entry.region}</dd>
        </>
      )}
      <dt>{t("console.entry.status")}</dt>
      <dd>{t(`entryStatus.${entry.status}`)}</dd>
    </dl>
  );
}
