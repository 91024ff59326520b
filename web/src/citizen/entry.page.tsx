import { Link, useParams } from "react-router";
import { ApiProblem, citizenApi, type Schemas, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { AttributeList, hasAttributes } from "../ui/attributes";
import { EntryPoints, EntryStatusBadge, noLongerCounts } from "../ui/entry-status";
import { EvidenceText } from "../ui/evidence";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { actorText } from "./actor";
import { AppealCard } from "./appeal-card";
import { AppealForm } from "./appeal-form";
import { useCitizenSession } from "./citizen-session";

/** Statuses an appeal can be opened from (the API refuses the others). */
const appealable = new Set(["effective", "capped", "pending_review"]);

/** One entry: why, under which rule and law, from whom, on what evidence; its changes; appeal. */
export default function EntryPage() {
  const { t } = useI18n();
  const requested = useParams().entryId ?? "";
  const detail = useResource(() => {
    // An entry id is a positive whole number: "/history/abc" names no entry, like a 404.
    if (!/^[1-9]\d{0,15}$/.test(requested)) {
      return Promise.reject(new ApiProblem(404, { detail: `no entry ${requested}` }));
    }
    const id = Number(requested);
    return unwrap(citizenApi.GET("/v1/me/entries/{id}", { params: { path: { id } } }));
  }, [requested]);
  return (
    <Loaded resource={detail} notFound={<EntryMissing id={requested} />}>
      {({ entry, transitions, appeals }) => (
        <Page title={entry.reason}>
          <EntryFacts entry={entry} />
          <section className="card" aria-labelledby="changes-heading">
            <h2 id="changes-heading">{t("entry.changes")}</h2>
            <Timeline entry={entry} transitions={transitions} />
          </section>
          {appeals.length > 0 ? (
            <section aria-labelledby="appeals-heading">
              <h2 id="appeals-heading">{t("entry.appeals")}</h2>
              {appeals.map((appeal) => (
                <AppealCard key={appeal.id} appeal={appeal} />
              ))}
            </section>
          ) : null}
          {entry.openAppeal === undefined && appealable.has(entry.status) ? (
            <AppealForm entryId={entry.id} onOpened={detail.reload} />
          ) : null}
        </Page>
      )}
    </Loaded>
  );
}

function EntryFacts({ entry }: Readonly<{ entry: Schemas["CitizenEntry"] }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  return (
    <section className="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading" className="visually-hidden">
        {t("entry.facts")}
      </h2>
      <div className="entry-head">
        <EntryPoints entry={entry} />
        <EntryStatusBadge entry={entry} />
      </div>
      <p>{entry.counts ? t("entry.countsNow") : t("entry.doesNotCount")}</p>
      <dl className="details">
        <dt>{t("entry.rule")}</dt>
        <dd>
          <code>{entry.ruleType}</code> · {label("category", entry.category)}
        </dd>
        <dt>{t("entry.legalBasis")}</dt>
        <dd>{entry.legalBasis}</dd>
        <dt>{t("entry.rulebookVersion")}</dt>
        <dd>{entry.rulebookVersion}</dd>
        <dt>{t("entry.source")}</dt>
        <dd>
          {entry.source} ({label("sourceKind", entry.sourceKind)})
        </dd>
        <dt>{t("entry.evidence")}</dt>
        <dd>
          <EvidenceText evidence={entry.evidence} />
        </dd>
        {hasAttributes(entry.attributes) ? (
          <>
            <dt>{t("entry.attributes")}</dt>
            <dd>
              <AttributeList attributes={entry.attributes} />
            </dd>
          </>
        ) : null}
        {entry.confidence === undefined ? null : (
          <>
            <dt>{t("entry.confidence")}</dt>
            <dd>{format.percent(entry.confidence)}</dd>
          </>
        )}
        <dt>{t("entry.occurred")}</dt>
        <dd>{format.dateTime(entry.occurredAt)}</dd>
        {entry.region === undefined ? null : (
          <>
            <dt>{t("entry.region")}</dt>
            <dd>{entry.region}</dd>
          </>
        )}
        <dt>{t("entry.recorded")}</dt>
        <dd>{format.dateTime(entry.recordedAt)}</dd>
        {noLongerCounts(entry) && entry.status !== "expired" ? null : (
          <>
            <dt>{t("entry.expires")}</dt>
            <dd>{format.date(entry.expiresAt)}</dd>
          </>
        )}
        <dt>{t("entry.eventId")}</dt>
        <dd>
          <code>{entry.eventId}</code>
        </dd>
      </dl>
    </section>
  );
}

type Transition = Readonly<{ kind: string; actor: string; at: string; reason: string }>;

function Timeline({
  entry,
  transitions,
}: Readonly<{ entry: Schemas["CitizenEntry"]; transitions: readonly Transition[] }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  const { subjectId } = useCitizenSession();
  return (
    <ol className="timeline">
      <li>
        <strong>{t("entry.recordedBy", { source: entry.source })}</strong>{" "}
        <span className="muted">{format.dateTime(entry.recordedAt)}</span>
      </li>
      {transitions.map((transition) => (
        <li key={`${transition.kind}-${transition.at}`}>
          <strong>
            {label("transition", transition.kind)} · {actorText(transition.actor, subjectId, t)}
          </strong>{" "}
          <span className="muted">{format.dateTime(transition.at)}</span>
          <br />
          {transition.reason}
        </li>
      ))}
    </ol>
  );
}

/** An entry that is not the citizen's, or not at all: said plainly, with the way back. */
function EntryMissing({ id }: Readonly<{ id: string }>) {
  const { t } = useI18n();
  return (
    <Page title={t("entry.missingTitle")}>
      <p>{t("entry.missing", { id })}</p>
      <p>
        <Link to="/history">{t("entry.backToHistory")}</Link>
      </p>
    </Page>
  );
}
