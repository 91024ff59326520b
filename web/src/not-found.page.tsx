import { Link, useLocation } from "react-router";
import { useI18n } from "./i18n/i18n";
import { Page } from "./ui/page";

/**
 * An address the app does not know, shown in the frame it was asked in (the citizen's or the
 * console's), with a way to that frame's start page.
 */
export function NotFoundPage() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const start = pathname === "/console" || pathname.startsWith("/console/") ? "/console" : "/";
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.explain")}</p>
      <p>
        <Link to={start} className="button">
          {t("notFound.home")}
        </Link>
      </p>
    </Page>
  );
}
