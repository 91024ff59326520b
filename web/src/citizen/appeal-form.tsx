import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { citizenApi, unwrap } from "../api/client";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Field, TextField } from "../ui/field";
import { ProblemMessage, problemIdFor } from "../ui/problem-message";

/** The API's limit on a statement (`appealStatementLengthMax` in src/core/appeal.ts). */
const statementLengthMax = 4000;

/**
 * Appeal an entry: a statement and an optional link to evidence. Like the reviewers' forms, an
 * empty statement is refused by the browser (`required`) rather than by a disabled button; a
 * statement over the limit is kept whole, counted, and refused until shortened.
 */
export function AppealForm({
  entryId,
  onOpened,
}: Readonly<{ entryId: number; onOpened: () => void }>) {
  const { t } = useI18n();
  const format = useFormats();
  const [statement, setStatement] = useState("");
  const [evidenceUrl, setEvidenceUrl] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const statementRef = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const length = statement.trim().length;
  const over = length - statementLengthMax;
  const overText =
    over > 0
      ? t("appeal.statementTooLong", {
          over: format.number(over),
          max: format.number(statementLengthMax),
        })
      : "";
  useEffect(() => {
    // The browser's own check then refuses to send, and says why, like an empty statement.
    statementRef.current?.setCustomValidity(overText);
  }, [overText]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        citizenApi.POST("/v1/me/entries/{id}/appeal", {
          params: { path: { id: entryId } },
          body: {
            statement: statement.trim(),
            ...(evidenceUrl.trim() === "" ? {} : { evidenceUrl: evidenceUrl.trim() }),
          },
        }),
      );
      onOpened();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const problemId = useId();
  const problemIdOf = (name: string) => problemIdFor(error, name, problemId);
  return (
    <section className="card" aria-labelledby="appeal-heading">
      <h2 id="appeal-heading">{t("appeal.heading")}</h2>
      <p>{t("appeal.explain")}</p>
      <form onSubmit={submit} onChange={() => setError(undefined)}>
        <Field
          label={t("appeal.statement")}
          hint={t("appeal.statementHint")}
          problemId={problemIdOf("statement")}
        >
          {(props) => (
            <>
              <textarea
                {...props}
                ref={statementRef}
                aria-describedby={`${props["aria-describedby"] ?? ""} ${counterId}`.trim()}
                aria-invalid={over > 0 || props["aria-invalid"] === true}
                required
                rows={5}
                value={statement}
                onChange={(event) => setStatement(event.target.value)}
              />
              <p id={counterId} className={over > 0 ? "hint counter-over" : "hint"}>
                {t("appeal.statementCount", {
                  count: format.number(length),
                  max: format.number(statementLengthMax),
                })}
                {over > 0 ? (
                  <>
                    <br />
                    {overText}
                  </>
                ) : null}
              </p>
            </>
          )}
        </Field>
        {/* Always there, empty until the limit is passed: a live region is announced when
            its text changes, not when it is inserted already holding its text. */}
        <p role="status" className="visually-hidden">
          {over > 0 ? overText : ""}
        </p>
        <TextField
          label={t("appeal.evidenceUrl")}
          hint={t("appeal.evidenceUrlHint")}
          type="url"
          inputMode="url"
          placeholder="https://"
          problemId={problemIdOf("evidenceUrl")}
          value={evidenceUrl}
          onChange={setEvidenceUrl}
        />
        <ProblemMessage
          error={error}
          id={problemId}
          fields={{
            statement: { label: t("appeal.statementName") },
            evidenceUrl: {
              label: t("appeal.evidenceUrlName"),
              message: t("appeal.evidenceUrlInvalid"),
            },
          }}
        />
        <button type="submit" className="button" disabled={busy}>
          {t("appeal.submit")}
        </button>
      </form>
    </section>
  );
}
