import { useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { ActionForm, useSubmit } from "./action-form";

/** Enrolls one person and shows their one-time activation code. */
export function EnrollSection() {
  const { t } = useI18n();
  const [id, setId] = useState("");
  const [region, setRegion] = useState("");
  const { run, feedback, edited, problemIdOf } = useSubmit({
    id: { label: t("console.access.subjectId") },
    region: { label: t("console.access.region") },
  });
  const submit = () =>
    run(async () => {
      const answer = await unwrap(
        operatorApi.POST("/v1/subjects", { body: { subjects: [{ id, region }] } }),
      );
      const enrolled = answer.subjects[0];
      if (!enrolled) return {};
      const code = enrolled.activationCode ? (
        <p>
          {t("console.access.activationCode")}{" "}
          <code className="secret">{enrolled.activationCode}</code>
        </p>
      ) : (
        <p>{t("console.access.alreadyActive")}</p>
      );
      if (enrolled.outcome === "enrolled") {
        return {
          done: (
            <>
              <p>{t("console.access.enrolled", { id: enrolled.id })}</p>
              {code}
            </>
          ),
          lasting: enrolled.activationCode !== undefined,
        };
      }
      // Enrolling again changes nothing about the person (not their region): only a new code.
      return {
        warnings: [t("console.access.alreadyEnrolled", { id: enrolled.id }), code],
        lasting: enrolled.activationCode !== undefined,
      };
    });
  return (
    <section className="card" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">{t("console.access.enroll")}</h2>
      <p className="muted">{t("console.access.enrollIntro")}</p>
      <ActionForm
        submitLabel={t("console.access.enrollSubmit")}
        onSubmit={submit}
        onEdit={edited}
        feedback={feedback}
      >
        <TextField
          label={t("console.access.subjectId")}
          required
          problemId={problemIdOf("id")}
          value={id}
          onChange={setId}
        />
        <TextField
          label={t("console.access.region")}
          required
          problemId={problemIdOf("region")}
          value={region}
          onChange={setRegion}
        />
      </ActionForm>
    </section>
  );
}
