import { ApiProblem } from "../api/client";
import { useI18n } from "../i18n/i18n";

/** What went wrong, in words: the API's own detail (English), after a short translated lead. */
export function ProblemMessage({ error }: Readonly<{ error: unknown }>) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  let lead = t("problem.generic");
  let detail: string | undefined;
  if (error instanceof ApiProblem) {
    detail = error.problem.detail;
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
    <div className="problem" role="alert">
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
