import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { citizenApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { Page } from "../ui/page";
import { AccountForm } from "./account-form";
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
  const activate = async () => {
    const body = {
      subjectId: subjectId.trim(),
      activationCode: activationCode.trim(),
      passphrase,
    };
    await unwrap(citizenApi.POST("/v1/activate", { body }));
    await signIn(body.subjectId, passphrase);
    navigate("/", { replace: true });
  };
  return (
    <Page title={t("activate.title")} intro={t("activate.intro")}>
      <AccountForm
        subjectId={subjectId}
        onSubjectIdChange={setSubjectId}
        submitLabel={t("activate.submit")}
        onSubmit={activate}
      >
        {(problemIdOf) => (
          <>
            <TextField
              label={t("activate.code")}
              hint={t("activate.codeHint")}
              required
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              problemId={problemIdOf("activationCode")}
              value={activationCode}
              onChange={setActivationCode}
            />
            <TextField
              label={t("activate.passphrase")}
              hint={t("activate.passphraseHint", { min: passphraseLengthMin })}
              type="password"
              required
              minLength={passphraseLengthMin}
              maxLength={passphraseLengthMax}
              autoComplete="new-password"
              problemId={problemIdOf("passphrase")}
              value={passphrase}
              onChange={setPassphrase}
            />
          </>
        )}
      </AccountForm>
      <p>
        <Link to="/sign-in">{t("activate.haveAccount")}</Link>
      </p>
    </Page>
  );
}
