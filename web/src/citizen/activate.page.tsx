import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { citizenApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { Field } from "../ui/field";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";
import { useCitizenSession } from "./citizen-session";

/** The API's bounds on a passphrase. */
const passphraseLengthMin = 12;
const passphraseLengthMax = 256;

/** First sign-in: the one-time activation code from enrollment sets the passphrase. */
export default function ActivatePage() {
  const { t } = useI18n();
  const { signIn } = useCitizenSession();
  const navigate = useNavigate();
  const [subjectId, setSubjectId] = useState("");
  const [activationCode, setActivationCode] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = {
        subjectId: subjectId.trim(),
        activationCode: activationCode.trim(),
        passphrase,
      };
      await unwrap(citizenApi.POST("/v1/activate", { body }));
      await signIn(body.subjectId, passphrase);
      navigate("/", { replace: true });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Page title={t("activate.title")} intro={t("activate.intro")}>
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
        <Field label={t("activate.code")} hint={t("activate.codeHint")}>
          {(props) => (
            <input
              {...props}
              required
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              value={activationCode}
              onChange={(event) => setActivationCode(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("activate.passphrase")}
          hint={t("activate.passphraseHint", { min: passphraseLengthMin })}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              required
              minLength={passphraseLengthMin}
              maxLength={passphraseLengthMax}
              autoComplete="new-password"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
            />
          )}
        </Field>
        <ProblemMessage error={error} />
        <button type="submit" className="button">
          {t("activate.submit")}
        </button>
      </form>
      <p>
        <Link to="/sign-in">{t("activate.haveAccount")}</Link>
      </p>
    </Page>
  );
}
