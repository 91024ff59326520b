import { ApiProblem } from "../api/client";
import { useFormats } from "../i18n/format";
import { type Translate, useI18n } from "../i18n/i18n";
import { problemText, reasonField } from "./problem-text";

/**
 * The fields of a form, by the name the API gives them: the label people see, and optionally a
 * sentence that replaces the validator's own message for that field.
 */
export type ProblemFields = Readonly<Record<string, Readonly<{ label: string; message?: string }>>>;

/** The validator's location before its message: "body /evidenceUrl: Invalid URL". */
const locatedDetail = /^(?:body|params|querystring|headers|request) (\/\S*): ([\s\S]*)$/;

/**
 * The field a problem is about, by its name in the request. For a validation problem its path:
 * "/subjects/0/region" names `region` (list positions are skipped); for a refusal with a known
 * `reason`, the field that reason is about (`reasonField`). Undefined for any other problem.
 */
export function problemField(error: unknown): string | undefined {
  if (!(error instanceof ApiProblem)) return;
  if (error.problem.code !== "validation_failed") return reasonField(error.problem);
  const path = error.problem.issues?.[0]?.path ?? locatedDetail.exec(error.problem.detail)?.[1];
  const names = (path ?? "").split("/").filter((name) => name !== "" && !/^\d+$/.test(name));
  return names.at(-1);
}

/** "the subject id is wrong" → "The subject id is wrong": the detail follows a full stop. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The API's detail for people: without the validator's location, naming the field by its label
 * where the form knows it, and starting with a capital letter.
 */
export function readableDetail(
  problem: ApiProblem,
  t: Translate,
  fields: ProblemFields = {},
): string {
  const located = locatedDetail.exec(problem.problem.detail);
  if (!located) return capitalised(problem.problem.detail);
  const message = located[2] ?? "";
  const name = problemField(problem);
  const field = name === undefined ? undefined : fields[name];
  if (field === undefined) return capitalised(message);
  return t("problem.field", { label: field.label, message: field.message ?? message });
}

/** Whether to offer "Try again": for a lost connection, a busy or failing service, not a refusal. */
export function worthRetrying(error: unknown): boolean {
  if (!(error instanceof ApiProblem)) return true;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * The id to give the field the API names `name` (its `problemId`) when the problem is about it:
 * the field is then invalid and described by the problem's text, rendered with `problemId`.
 */
export function problemIdFor(error: unknown, name: string, problemId: string): string | undefined {
  return problemField(error) === name ? problemId : undefined;
}

/**
 * What went wrong, in words: a short translated lead, then the problem worded in the reader's
 * language from its `reason` and facts, or else the API's own detail (English). `id` lets the
 * field the problem is about point at it (`problemIdFor`).
 */
export function ProblemMessage({
  error,
  fields,
  id,
}: Readonly<{ error: unknown; fields?: ProblemFields; id?: string }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  if (error === undefined || error === null) return null;
  let lead = t("problem.generic");
  let detail: string | undefined;
  if (error instanceof ApiProblem) {
    detail = problemText(error.problem, { t, label, format }) ?? readableDetail(error, t, fields);
    if (error.status === 0) {
      lead = t("problem.network");
      detail = undefined;
    } else if (error.status === 401) lead = t("problem.unauthenticated");
    else if (error.status === 403) lead = t("problem.forbidden");
    else if (error.status === 404) lead = t("problem.notFound");
    else if (error.status === 429) lead = t("problem.rateLimited");
  }
  const located = error instanceof ApiProblem ? (error.problem.problems ?? []) : [];
  return (
    <div className="problem" role="alert" id={id}>
      <p>
        <strong>{lead}</strong>
        {detail ? ` ${detail}` : null}
      </p>
      {located.length > 0 ? (
        <ul>
          {located.map((problem) => (
            <li key={`${problem.line}:${problem.column}:${problem.path}:${problem.message}`}>
              {problem.line === undefined ? "" : `${problem.line}:${problem.column ?? 0} `}
              <code>{problem.path}</code> {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
