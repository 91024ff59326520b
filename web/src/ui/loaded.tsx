import type { ReactNode } from "react";
import { ApiProblem } from "../api/client";
import type { Resource } from "../api/use-resource";
import { useI18n } from "../i18n/i18n";
import { ProblemMessage, worthRetrying } from "./problem-message";

/**
 * Renders a resource once loaded; while loading a polite status, on failure the problem (with
 * "Try again" only where trying again can help), or `notFound` when the API answers 404.
 */
export function Loaded<T>({
  resource,
  notFound,
  children,
}: Readonly<{
  resource: Resource<T>;
  notFound?: ReactNode;
  children: (data: T) => ReactNode;
}>) {
  const { t } = useI18n();
  if (resource.state === "loading") {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (resource.state === "failed") {
    if (notFound !== undefined && resource.error instanceof ApiProblem) {
      if (resource.error.status === 404) return <>{notFound}</>;
    }
    return (
      <div>
        <ProblemMessage error={resource.error} />
        {worthRetrying(resource.error) ? (
          <button type="button" className="button secondary" onClick={resource.reload}>
            {t("common.retry")}
          </button>
        ) : null}
      </div>
    );
  }
  return <>{children(resource.data)}</>;
}
