import { Link } from "react-router";
import { useI18n } from "./i18n/i18n";
import { Page } from "./ui/page";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <main id="main" className="standalone">
      <Page title={t("notFound.title")}>
        <p>
          <Link to="/">{t("notFound.home")}</Link>
        </p>
      </Page>
    </main>
  );
}
