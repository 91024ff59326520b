import { type FormEvent, useState } from "react";
import { citizenApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { Field, TextField } from "../ui/field";
import { ProblemMessage } from "../ui/problem-message";

/** The API's limit on a statement. */
const statementLengthMax = 4000;

/** Appeal an entry: a statement and an optional link to evidence. */
export function AppealForm({
  entryId,
  onOpened,
}: Readonly<{ entryId: number; onOpened: () => void }>) {
  const { t } = useI18n();
  const [statement, setStatement] = useState("");
  const [evidenceUrl, setEvidenceUrl] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
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
  return (
    <section className="card" aria-labelledby="appeal-heading">
      <h2 id="appeal-heading">{t("appeal.heading")}</h2>
      <p>{t("appeal.explain")}</p>
      <form onSubmit={submit}>
        <Field label={t("appeal.statement")} hint={t("appeal.statementHint")}>
          {(props) => (
            <textarea
              {...props}
              required
              rows={5}
              maxLength={statementLengthMax}
              value={statement}
              onChange={(event) => setStatement(event.target.value)}
            />
          )}
        </Field>
        <TextField
          label={t("appeal.evidenceUrl")}
          hint={t("appeal.evidenceUrlHint")}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={evidenceUrl}
          onChange={setEvidenceUrl}
        />
        <ProblemMessage error={error} />
        <button type="submit" className="button" disabled={busy || statement.trim() === ""}>
          {t("appeal.submit")}
        </button>
      </form>
    </section>
  );
}
