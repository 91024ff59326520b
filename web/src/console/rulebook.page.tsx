import { type FormEvent, useId, useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";
import { ScrollRegion } from "../ui/scroll-region";
import { ScrollTable } from "../ui/scroll-table";
import { type WhatIfReport, WhatIfReportView } from "./whatif-report";

/** The rulebook in force, every published version, and publishing the next one. */
export default function RulebookPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const current = useResource(() => unwrap(operatorApi.GET("/v1/rulebook")), []);
  const versions = useResource(() => unwrap(operatorApi.GET("/v1/rulebooks")), []);
  const reload = () => {
    current.reload();
    versions.reload();
  };
  return (
    <Page title={t("console.rulebook.title")}>
      <Loaded resource={current}>
        {(rulebook) => (
          <section className="card" aria-labelledby="current-heading">
            <h2 id="current-heading">
              {t("console.rulebook.current", { version: rulebook.version, title: rulebook.title })}
            </h2>
            <p className="muted">
              {t("console.rulebook.published", {
                date: format.dateTime(rulebook.publishedAt),
                by: rulebook.publishedBy,
              })}
            </p>
            <ScrollTable
              label={t("console.rulebook.current", {
                version: rulebook.version,
                title: rulebook.title,
              })}
              columns={[
                t("rules.type"),
                t("console.rulebook.category"),
                t("console.rulebook.points"),
                t("console.rulebook.expires"),
                t("console.rulebook.cap"),
              ]}
            >
              {rulebook.rules.map((rule) => (
                <tr key={rule.type}>
                  <th scope="row">
                    <code>{rule.type}</code>
                  </th>
                  <td>{label("category", rule.category)}</td>
                  <td>{format.points(rule.points)}</td>
                  <td>{t("console.rulebook.days", { days: rule.expiresAfterDays })}</td>
                  <td>
                    {rule.cap
                      ? t("rules.cap", {
                          points: format.points(rule.cap.points),
                          days: rule.cap.windowDays,
                        })
                      : "—"}
                  </td>
                </tr>
              ))}
            </ScrollTable>
          </section>
        )}
      </Loaded>
      <Loaded resource={versions}>{({ versions }) => <History versions={versions} />}</Loaded>
      {current.data ? <DraftForm initialText={current.data.text} onPublished={reload} /> : null}
    </Page>
  );
}

type Version = Readonly<{
  version: number;
  title: string;
  publishedAt: string;
  publishedBy: string;
}>;

function History({ versions }: Readonly<{ versions: readonly Version[] }>) {
  const { t } = useI18n();
  const format = useFormats();
  const [shown, setShown] = useState<number>();
  const text = useResource(
    () =>
      shown === undefined
        ? Promise.resolve(undefined)
        : unwrap(
            operatorApi.GET("/v1/rulebooks/{version}", { params: { path: { version: shown } } }),
          ),
    [shown],
  );
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">{t("console.rulebook.history")}</h2>
      <ol className="plain-list versions">
        {[...versions].reverse().map((version) => (
          <li key={version.version}>
            <button
              type="button"
              className="link-button"
              aria-expanded={shown === version.version}
              onClick={() => setShown(shown === version.version ? undefined : version.version)}
            >
              {t("console.rulebook.versionLine", {
                version: version.version,
                title: version.title,
                date: format.dateTime(version.publishedAt),
                by: version.publishedBy,
              })}
            </button>
            {shown === version.version && text.data ? (
              <ScrollRegion
                className="yaml"
                label={t("console.rulebook.text", { version: version.version })}
              >
                <pre>{text.data.text}</pre>
              </ScrollRegion>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A draft: its what-if report first (what it would do to today's ratings, nothing written),
 * then publishing it. Both are compiled by the API and refused with located messages.
 */
function DraftForm({
  initialText,
  onPublished,
}: Readonly<{ initialText: string; onPublished: () => void }>) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(initialText);
  const [error, setError] = useState<unknown>();
  const [published, setPublished] = useState<string>();
  const [report, setReport] = useState<WhatIfReport>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const action = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)
      ?.value;
    setError(undefined);
    setPublished(undefined);
    setBusy(true);
    try {
      if (action === "whatif") {
        setReport(undefined);
        setReport(await unwrap(operatorApi.POST("/v1/whatif", { body: { text } })));
      } else {
        const version = await unwrap(operatorApi.POST("/v1/rulebooks", { body: { text } }));
        setPublished(t("console.rulebook.publishedVersion", { version: version.version }));
        onPublished();
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t("console.rulebook.publish")}</h2>
      <p>{t("console.rulebook.publishIntro")}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={id}>{t("console.rulebook.draft")}</label>
          <textarea
            id={id}
            className="code"
            rows={14}
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <ProblemMessage error={error} />
        {published ? (
          <p role="status" className="success">
            {published}
          </p>
        ) : null}
        <div className="button-row">
          <button
            type="submit"
            name="action"
            value="whatif"
            className="button secondary"
            disabled={busy}
          >
            {t("console.whatif.run")}
          </button>
          <button type="submit" name="action" value="publish" className="button" disabled={busy}>
            {t("console.rulebook.publishSubmit")}
          </button>
        </div>
        {busy ? (
          <p role="status" className="muted">
            {t("common.loading")}
          </p>
        ) : null}
      </form>
      {report ? <WhatIfReportView report={report} /> : null}
    </section>
  );
}
