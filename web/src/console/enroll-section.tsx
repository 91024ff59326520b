import { useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { ActionForm, useSubmit } from "./action-form";

/** Enrolls one person and shows their one-time activation code. */
export function EnrollSection() {
  const { t, label } = useI18n();
  const [id, setId] = useState("");
  const [region, setRegion] = useState("");
  const { run, feedback } = useSubmit();
  const submit = () =>
    run(async () => {
      const answer = await unwrap(
        operatorApi.POST("/v1/subjects", { body: { subjects: [{ id, region }] } }),
      );
      const enrolled = answer.subjects[0];
      if (!enrolled) return null;
      return (
        <>
          <p>
            {label("enrollment", enrolled.outcome)} · <code>{enrolled.id}</code>
          </p>
          {enrolled.activationCode ? (
            <p>
              {t("console.access.activationCode")}{" "}
              <code className="secret">{enrolled.activationCode}</code>
            </p>
          ) : (
            <p>{t("console.access.alreadyActive")}</p>
          )}
        </>
      );
    });
  return (
    <section className="card" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">{t("console.access.enroll")}</h2>
      <p className="muted">{t("console.access.enrollIntro")}</p>
      <ActionForm
        submitLabel={t("console.access.enrollSubmit")}
        onSubmit={submit}
        feedback={feedback}
      >
        <TextField label={t("console.access.subjectId")} required value={id} onChange={setId} />
        <TextField
          label={t("console.access.region")}
          required
          value={region}
          onChange={setRegion}
        />
      </ActionForm>
    </section>
  );
}
