import { Link } from "react-router";
import { useI18n } from "./i18n/i18n";
import { Page } from "./ui/page";

/** An address the app does not know, shown in the citizen frame (header and navigation). */
export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.explain")}</p>
      <p>
        <Link to="/" className="button">
          {t("notFound.home")}
        </Link>
      </p>
    </Page>
  );
}
