import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { ApiProblem, operatorApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";
import { useOperator } from "./operator-context";

/**
 * Operators sign in with their API key: the API says whose it is (GET /v1/whoami); the console
 * keeps it for this tab only (sessionStorage) and sends it as a bearer.
 */
export default function OperatorSignInPage() {
  const { t, label } = useI18n();
  const { setSession } = useOperator();
  const navigate = useNavigate();
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const trimmed = key.trim();
    try {
      const principal = await unwrap(
        operatorApi.GET("/v1/whoami", { headers: { authorization: `Bearer ${trimmed}` } }),
      );
      if (principal.role !== "reviewer" && principal.role !== "admin") {
        const role = label("role", principal.role);
        throw new ApiProblem(403, { detail: t("console.signIn.wrongRole", { role }) });
      }
      setSession({ key: trimmed, role: principal.role, name: principal.name });
      navigate("/console", { replace: true });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Page title={t("console.signIn.title")} intro={t("console.signIn.intro")}>
      <form className="card narrow" onSubmit={submit}>
        <TextField
          label={t("console.signIn.key")}
          hint={t("console.signIn.keyHint")}
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={setKey}
        />
        <ProblemMessage error={error} />
        <button type="submit" className="button">
          {t("console.signIn.submit")}
        </button>
      </form>
    </Page>
  );
}
