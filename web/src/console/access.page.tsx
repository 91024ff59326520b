import { useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { keyRoles, partnerKinds, purposes, sourceKinds } from "../api/vocabulary";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { ConfirmButton } from "../ui/confirm-button";
import { SelectField, TextField } from "../ui/field";
import { Page } from "../ui/page";
import { ActionForm, useSubmit } from "./action-form";
import { EnrollSection } from "./enroll-section";
import { RegisterSection } from "./register-section";

/** Who may report (sources), who may ask (partners), their keys, and enrolling people. */
export default function AccessPage() {
  const { t } = useI18n();
  return (
    <Page title={t("console.access.title")}>
      <Sources />
      <Partners />
      <Keys />
      <EnrollSection />
    </Page>
  );
}

function Sources() {
  const { t, label } = useI18n();
  const sources = useResource(() => unwrap(operatorApi.GET("/v1/sources")), []);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof sourceKinds)[number]>("agency");
  const [types, setTypes] = useState("");
  const { run, feedback, edited, problemIdOf } = useSubmit({
    name: { label: t("console.access.name") },
    allowedTypes: { label: t("console.access.types") },
  });
  const submit = () =>
    run(async () => {
      const allowedTypes = types.split(/[\s,]+/).filter(Boolean);
      const added = await unwrap(
        operatorApi.POST("/v1/sources", { body: { name, kind, allowedTypes } }),
      );
      sources.reload();
      return {
        done: t("console.access.sourceAdded", { name: added.name }),
        warnings: added.unmatchedTypes.map((pattern) =>
          t("console.access.noRuleMatches", { pattern }),
        ),
      };
    });
  return (
    <RegisterSection
      name="sources"
      title={t("console.access.sources")}
      resource={sources}
      columns={[t("console.access.name"), t("console.access.kind"), t("console.access.types")]}
      rows={({ sources }) =>
        sources.map((source) => (
          <tr key={source.name}>
            <th scope="row">{source.name}</th>
            <td>{label("sourceKind", source.kind)}</td>
            <td>
              <code>{source.allowedTypes.join(", ")}</code>
            </td>
          </tr>
        ))
      }
    >
      <ActionForm
        heading={t("console.access.addSource")}
        submitLabel={t("console.access.add")}
        onSubmit={submit}
        onEdit={edited}
        feedback={feedback}
      >
        <TextField
          label={t("console.access.name")}
          required
          problemId={problemIdOf("name")}
          value={name}
          onChange={setName}
        />
        <SelectField
          label={t("console.access.kind")}
          value={kind}
          options={sourceKinds}
          optionLabel={(option) => label("sourceKind", option)}
          onChange={setKind}
        />
        <TextField
          label={t("console.access.types")}
          hint={t("console.access.typesHint")}
          required
          problemId={problemIdOf("allowedTypes")}
          value={types}
          onChange={setTypes}
        />
      </ActionForm>
    </RegisterSection>
  );
}

function Partners() {
  const { t, label } = useI18n();
  const format = useFormats();
  const partners = useResource(() => unwrap(operatorApi.GET("/v1/partners")), []);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof partnerKinds)[number]>("bank");
  const [chosen, setChosen] = useState<ReadonlySet<(typeof purposes)[number]>>(new Set(["credit"]));
  const { run, feedback, edited, problemIdOf } = useSubmit({
    name: { label: t("console.access.name") },
    purposes: {
      label: t("console.access.purposes"),
      message: t("console.access.purposesRequired"),
    },
  });
  const submit = () =>
    run(async () => {
      const body = { name, kind, purposes: purposes.filter((purpose) => chosen.has(purpose)) };
      const added = await unwrap(operatorApi.POST("/v1/partners", { body }));
      partners.reload();
      return { done: t("console.access.partnerAdded", { name: added.name }) };
    });
  const purposesProblemId = problemIdOf("purposes");
  const choose = (purpose: (typeof purposes)[number], checked: boolean) => {
    const next = new Set(chosen);
    if (checked) next.add(purpose);
    else next.delete(purpose);
    setChosen(next);
  };
  return (
    <RegisterSection
      name="partners"
      title={t("console.access.partners")}
      resource={partners}
      columns={[
        t("console.access.name"),
        t("console.access.kind"),
        t("console.access.purposes"),
        t("console.access.added"),
      ]}
      rows={({ partners }) =>
        partners.map((partner) => (
          <tr key={partner.name}>
            <th scope="row">{partner.name}</th>
            <td>{label("partnerKind", partner.kind)}</td>
            <td>{partner.purposes.map((purpose) => label("purpose", purpose)).join(", ")}</td>
            <td>{format.date(partner.createdAt)}</td>
          </tr>
        ))
      }
    >
      <ActionForm
        heading={t("console.access.addPartner")}
        submitLabel={t("console.access.add")}
        onSubmit={submit}
        onEdit={edited}
        feedback={feedback}
      >
        <TextField
          label={t("console.access.name")}
          required
          problemId={problemIdOf("name")}
          value={name}
          onChange={setName}
        />
        <SelectField
          label={t("console.access.kind")}
          value={kind}
          options={partnerKinds}
          optionLabel={(option) => label("partnerKind", option)}
          onChange={setKind}
        />
        <fieldset className="checkboxes">
          <legend>{t("console.access.purposes")}</legend>
          {purposes.map((purpose) => (
            <label key={purpose}>
              <input
                type="checkbox"
                aria-invalid={purposesProblemId !== undefined}
                aria-describedby={purposesProblemId}
                checked={chosen.has(purpose)}
                onChange={(event) => choose(purpose, event.target.checked)}
              />
              {label("purpose", purpose)}
            </label>
          ))}
        </fieldset>
      </ActionForm>
    </RegisterSection>
  );
}

function Keys() {
  const { t, label } = useI18n();
  const format = useFormats();
  const credentials = useResource(() => unwrap(operatorApi.GET("/v1/credentials")), []);
  const [role, setRole] = useState<(typeof keyRoles)[number]>("reviewer");
  const [principal, setPrincipal] = useState("");
  const { run, feedback, edited, problemIdOf } = useSubmit({
    principal: { label: t("console.access.for") },
  });
  const issue = () =>
    run(async () => {
      const issued = await unwrap(
        operatorApi.POST("/v1/credentials", { body: { role, principal } }),
      );
      credentials.reload();
      return {
        done: (
          <>
            <p>{t("console.access.keyIssued", { principal: issued.principal })}</p>
            <code className="secret">{issued.key}</code>
          </>
        ),
        lasting: true,
      };
    });
  const revoke = (keyId: string) =>
    run(async () => {
      await unwrap(operatorApi.DELETE("/v1/credentials/{keyId}", { params: { path: { keyId } } }));
      credentials.reload();
      return { done: t("console.access.keyRevoked", { keyId }) };
    });
  return (
    <RegisterSection
      name="keys"
      title={t("console.access.keys")}
      resource={credentials}
      columns={[
        t("console.access.keyId"),
        t("console.access.role"),
        t("console.access.for"),
        t("console.access.added"),
        t("console.access.state"),
      ]}
      rows={({ credentials }) =>
        credentials.map((credential) => (
          <tr key={credential.keyId}>
            <th scope="row">
              <code>{credential.keyId}</code>
            </th>
            <td>{label("role", credential.role)}</td>
            <td>{credential.principal}</td>
            <td>{format.date(credential.createdAt)}</td>
            <td>
              {credential.revokedAt ? (
                t("console.access.revokedAt", { date: format.date(credential.revokedAt) })
              ) : credential.role === "admin" ? (
                t("console.access.active")
              ) : (
                <ConfirmButton
                  label={t("console.access.revoke")}
                  accessibleLabel={t("console.access.revokeLabel", { keyId: credential.keyId })}
                  question={t("console.access.revokeQuestion", {
                    keyId: credential.keyId,
                    principal: credential.principal,
                  })}
                  onConfirm={() => revoke(credential.keyId)}
                />
              )}
            </td>
          </tr>
        ))
      }
    >
      <ActionForm
        heading={t("console.access.issueKey")}
        submitLabel={t("console.access.issue")}
        onSubmit={issue}
        onEdit={edited}
        feedback={feedback}
      >
        <SelectField
          label={t("console.access.role")}
          value={role}
          options={keyRoles}
          optionLabel={(option) => label("role", option)}
          onChange={setRole}
        />
        <TextField
          label={t("console.access.for")}
          hint={t("console.access.forHint")}
          required
          problemId={problemIdOf("principal")}
          value={principal}
          onChange={setPrincipal}
        />
      </ActionForm>
    </RegisterSection>
  );
}
