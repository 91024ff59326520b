import { type FormEvent, type ReactNode, useState } from "react";
import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { keyRoles, partnerKinds, purposes, sourceKinds } from "../api/vocabulary";

import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Field } from "../ui/field";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ProblemMessage } from "../ui/problem-message";
import { ScrollRegion } from "../ui/scroll-region";

/** Who may report (sources), who may ask (partners), their keys, and enrolling people. */
export default function AccessPage() {
  const { t } = useI18n();
  return (
    <Page title={t("console.access.title")}>
      <Sources />
      <Partners />
      <Keys />
      <Enroll />
    </Page>
  );
}

/** Runs a form's request; shows its problem or its success line. */
function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<ReactNode>();
  const run = async (action: () => Promise<ReactNode>) => {
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await action());
    } catch (caught) {
      setError(caught);
    }
  };
  const feedback = (
    <>
      <ProblemMessage error={error} />
      {done ? (
        <div role="status" className="success">
          {done}
        </div>
      ) : null}
    </>
  );
  return { run, feedback };
}

function Sources() {
  const { t, label } = useI18n();
  const sources = useResource(() => unwrap(operatorApi.GET("/v1/sources")), []);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof sourceKinds)[number]>("agency");
  const [types, setTypes] = useState("");
  const { run, feedback } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const allowedTypes = types.split(/[\s,]+/).filter(Boolean);
      const added = await unwrap(
        operatorApi.POST("/v1/sources", { body: { name, kind, allowedTypes } }),
      );
      sources.reload();
      return [t("console.access.sourceAdded", { name: added.name }), ...added.warnings].join(" ");
    });
  };
  return (
    <section className="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">{t("console.access.sources")}</h2>
      <Loaded resource={sources}>
        {({ sources }) => (
          <ScrollRegion label={t("console.access.sources")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("console.access.name")}</th>
                  <th scope="col">{t("console.access.kind")}</th>
                  <th scope="col">{t("console.access.types")}</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((source) => (
                  <tr key={source.name}>
                    <th scope="row">{source.name}</th>
                    <td>{label("sourceKind", source.kind)}</td>
                    <td>
                      <code>{source.allowedTypes.join(", ")}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Loaded>
      <form onSubmit={submit} className="form-grid" aria-labelledby="add-source-heading">
        <h3 id="add-source-heading">{t("console.access.addSource")}</h3>
        <Field label={t("console.access.name")}>
          {(props) => (
            <input
              {...props}
              required
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("console.access.kind")}>
          {(props) => (
            <select
              {...props}
              value={kind}
              onChange={(event) => setKind(event.target.value as typeof kind)}
            >
              {sourceKinds.map((option) => (
                <option key={option} value={option}>
                  {label("sourceKind", option)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("console.access.types")} hint={t("console.access.typesHint")}>
          {(props) => (
            <input
              {...props}
              required
              value={types}
              onChange={(event) => setTypes(event.target.value)}
            />
          )}
        </Field>
        {feedback}
        <button type="submit" className="button">
          {t("console.access.add")}
        </button>
      </form>
    </section>
  );
}

function Partners() {
  const { t, label } = useI18n();
  const format = useFormats();
  const partners = useResource(() => unwrap(operatorApi.GET("/v1/partners")), []);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof partnerKinds)[number]>("bank");
  const [chosen, setChosen] = useState<ReadonlySet<(typeof purposes)[number]>>(new Set(["credit"]));
  const { run, feedback } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const body = { name, kind, purposes: purposes.filter((purpose) => chosen.has(purpose)) };
      const added = await unwrap(operatorApi.POST("/v1/partners", { body }));
      partners.reload();
      return t("console.access.partnerAdded", { name: added.name });
    });
  };
  return (
    <section className="card" aria-labelledby="partners-heading">
      <h2 id="partners-heading">{t("console.access.partners")}</h2>
      <Loaded resource={partners}>
        {({ partners }) => (
          <ScrollRegion label={t("console.access.partners")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("console.access.name")}</th>
                  <th scope="col">{t("console.access.kind")}</th>
                  <th scope="col">{t("console.access.purposes")}</th>
                  <th scope="col">{t("console.access.added")}</th>
                </tr>
              </thead>
              <tbody>
                {partners.map((partner) => (
                  <tr key={partner.name}>
                    <th scope="row">{partner.name}</th>
                    <td>{label("partnerKind", partner.kind)}</td>
                    <td>
                      {partner.purposes.map((purpose) => label("purpose", purpose)).join(", ")}
                    </td>
                    <td>{format.date(partner.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Loaded>
      <form onSubmit={submit} className="form-grid" aria-labelledby="add-partner-heading">
        <h3 id="add-partner-heading">{t("console.access.addPartner")}</h3>
        <Field label={t("console.access.name")}>
          {(props) => (
            <input
              {...props}
              required
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("console.access.kind")}>
          {(props) => (
            <select
              {...props}
              value={kind}
              onChange={(event) => setKind(event.target.value as typeof kind)}
            >
              {partnerKinds.map((option) => (
                <option key={option} value={option}>
                  {label("partnerKind", option)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="checkboxes">
          <legend>{t("console.access.purposes")}</legend>
          {purposes.map((purpose) => (
            <label key={purpose}>
              <input
                type="checkbox"
                checked={chosen.has(purpose)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(purpose);
                  else next.delete(purpose);
                  setChosen(next);
                }}
              />
              {label("purpose", purpose)}
            </label>
          ))}
        </fieldset>
        {feedback}
        <button type="submit" className="button">
          {t("console.access.add")}
        </button>
      </form>
    </section>
  );
}

function Keys() {
  const { t, label } = useI18n();
  const format = useFormats();
  const credentials = useResource(() => unwrap(operatorApi.GET("/v1/credentials")), []);
  const [role, setRole] = useState<(typeof keyRoles)[number]>("reviewer");
  const [principal, setPrincipal] = useState("");
  const { run, feedback } = useSubmit();
  const issue = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const issued = await unwrap(
        operatorApi.POST("/v1/credentials", { body: { role, principal } }),
      );
      credentials.reload();
      return (
        <>
          <p>{t("console.access.keyIssued", { principal: issued.principal })}</p>
          <code className="secret">{issued.key}</code>
        </>
      );
    });
  };
  const revoke = (keyId: string) =>
    run(async () => {
      await unwrap(operatorApi.DELETE("/v1/credentials/{keyId}", { params: { path: { keyId } } }));
      credentials.reload();
      return t("console.access.keyRevoked", { keyId });
    });
  return (
    <section className="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t("console.access.keys")}</h2>
      <Loaded resource={credentials}>
        {({ credentials }) => (
          <ScrollRegion label={t("console.access.keys")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("console.access.keyId")}</th>
                  <th scope="col">{t("console.access.role")}</th>
                  <th scope="col">{t("console.access.for")}</th>
                  <th scope="col">{t("console.access.added")}</th>
                  <th scope="col">{t("console.access.state")}</th>
                </tr>
              </thead>
              <tbody>
                {credentials.map((credential) => (
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
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => revoke(credential.keyId)}
                          aria-label={t("console.access.revokeLabel", { keyId: credential.keyId })}
                        >
                          {t("console.access.revoke")}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Loaded>
      <form onSubmit={issue} className="form-grid" aria-labelledby="issue-heading">
        <h3 id="issue-heading">{t("console.access.issueKey")}</h3>
        <Field label={t("console.access.role")}>
          {(props) => (
            <select
              {...props}
              value={role}
              onChange={(event) => setRole(event.target.value as typeof role)}
            >
              {keyRoles.map((option) => (
                <option key={option} value={option}>
                  {label("role", option)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("console.access.for")} hint={t("console.access.forHint")}>
          {(props) => (
            <input
              {...props}
              required
              value={principal}
              onChange={(event) => setPrincipal(event.target.value)}
            />
          )}
        </Field>
        {feedback}
        <button type="submit" className="button">
          {t("console.access.issue")}
        </button>
      </form>
    </section>
  );
}

function Enroll() {
  const { t, label } = useI18n();
  const [id, setId] = useState("");
  const [region, setRegion] = useState("");
  const { run, feedback } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
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
  };
  return (
    <section className="card" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">{t("console.access.enroll")}</h2>
      <p className="muted">{t("console.access.enrollIntro")}</p>
      <form onSubmit={submit} className="form-grid">
        <Field label={t("signIn.subjectId")}>
          {(props) => (
            <input {...props} required value={id} onChange={(event) => setId(event.target.value)} />
          )}
        </Field>
        <Field label={t("console.access.region")}>
          {(props) => (
            <input
              {...props}
              required
              value={region}
              onChange={(event) => setRegion(event.target.value)}
            />
          )}
        </Field>
        {feedback}
        <button type="submit" className="button">
          {t("console.access.enrollSubmit")}
        </button>
      </form>
    </section>
  );
}
