import type { ReactNode } from "react";
import type { Resource } from "../api/use-resource";
import { useI18n } from "../i18n/i18n";
import { ProblemMessage } from "./problem-message";

/** Renders a resource once loaded; while loading a polite status, on failure the problem. */
export function Loaded<T>({
  resource,
  children,
}: Readonly<{ resource: Resource<T>; children: (data: T) => ReactNode }>) {
  const { t } = useI18n();
  if (resource.state === "loading") {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (resource.state === "failed") {
    return (
      <div>
        <ProblemMessage error={resource.error} />
        <button type="button" className="button secondary" onClick={resource.reload}>
          {t("common.retry")}
        </button>
      </div>
    );
  }
  return <>{children(resource.data)}</>;
}
