import { type FormEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { useI18n } from "../i18n/i18n";
import { Field } from "../ui/field";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";
import { useCitizenSession } from "./citizen-session";

/** Citizens sign in with their subject id and passphrase; the API sets an HttpOnly cookie. */
export default function SignInPage() {
  const { t } = useI18n();
  const { subjectId: signedIn, signIn } = useCitizenSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/";
  const [subjectId, setSubjectId] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (typeof signedIn === "string" && !busy) return <Navigate to={from} replace />;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(subjectId.trim(), passphrase);
      navigate(from, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t("signIn.title")} intro={t("signIn.intro")}>
      <form className="card narrow" onSubmit={submit}>
        <Field label={t("signIn.subjectId")}>
          {(props) => (
            <input
              {...props}
              required
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={subjectId}
              onChange={(event) => setSubjectId(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("signIn.passphrase")}>
          {(props) => (
            <input
              {...props}
              type="password"
              required
              autoComplete="current-password"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
            />
          )}
        </Field>
        <ProblemMessage error={error} />
        <button type="submit" className="button" disabled={busy}>
          {t("signIn.submit")}
        </button>
      </form>
      <p>
        {t("signIn.firstTime")} <Link to="/activate">{t("signIn.activate")}</Link>
      </p>
      <p>
        <Link to="/rules">{t("signIn.rules")}</Link> ·{" "}
        <Link to="/console">{t("signIn.console")}</Link>
      </p>
    </Page>
  );
}
