import { Link, useNavigate } from "react-router";
import { useI18n } from "../i18n/i18n";
import { LanguageSelect } from "../ui/language-select";
import { Page } from "../ui/page";
import { useCitizenSession } from "./citizen-session";

/** On a phone, the pages that do not fit the bottom bar, the language and signing out. */
export default function MorePage() {
  const { t } = useI18n();
  const { subjectId, signOut } = useCitizenSession();
  const navigate = useNavigate();
  return (
    <Page title={t("nav.more")}>
      <p className="muted">{t("more.signedInAs", { subject: subjectId ?? "" })}</p>
      <nav className="card link-list" aria-label={t("nav.more")}>
        <Link to="/consents">{t("nav.consents")}</Link>
        <Link to="/notifications">{t("nav.notifications")}</Link>
        <Link to="/rules">{t("nav.rules")}</Link>
      </nav>
      <div className="card">
        <LanguageSelect />
      </div>
      <button
        type="button"
        className="button secondary"
        onClick={async () => {
          await signOut();
          navigate("/sign-in");
        }}
      >
        {t("common.signOut")}
      </button>
    </Page>
  );
}
