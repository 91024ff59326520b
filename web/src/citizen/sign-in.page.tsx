import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { Page } from "../ui/page";
import { AccountForm } from "./account-form";
import { useCitizenSession } from "./citizen-session";

/** Citizens sign in with their subject id and passphrase; the API sets an HttpOnly cookie. */
export default function SignInPage() {
  const { t } = useI18n();
  const { subjectId: signedIn, signIn } = useCitizenSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/";
  const [subjectId, setSubjectId] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  if (typeof signedIn === "string" && !busy) return <Navigate to={from} replace />;
  const submit = async () => {
    setBusy(true);
    try {
      await signIn(subjectId.trim(), passphrase);
      navigate(from, { replace: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t("signIn.title")} intro={t("signIn.intro")}>
      <AccountForm
        subjectId={subjectId}
        onSubjectIdChange={setSubjectId}
        submitLabel={t("signIn.submit")}
        onSubmit={submit}
        busy={busy}
      >
        {(problemIdOf) => (
          <TextField
            label={t("signIn.passphrase")}
            type="password"
            required
            autoComplete="current-password"
            problemId={problemIdOf("passphrase")}
            value={passphrase}
            onChange={setPassphrase}
          />
        )}
      </AccountForm>
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
