import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages.en";
import { Icon, type IconName } from "../ui/icons";
import { LanguageSelect } from "../ui/language-select";
import { useCitizenSession } from "./citizen-session";

type NavItem = Readonly<{ to: string; label: MessageKey; icon: IconName; placement: Placement }>;
/** Mobile shows the primary items in a bottom bar and the rest under "More"; desktop all. */
type Placement = "primary" | "secondary" | "more";

const navItems: readonly NavItem[] = [
  { to: "/", label: "nav.score", icon: "score", placement: "primary" },
  { to: "/history", label: "nav.history", icon: "history", placement: "primary" },
  { to: "/access-log", label: "nav.accessLog", icon: "eye", placement: "primary" },
  { to: "/benefits", label: "nav.benefits", icon: "gift", placement: "primary" },
  { to: "/consents", label: "nav.consents", icon: "check", placement: "secondary" },
  { to: "/notifications", label: "nav.notifications", icon: "bell", placement: "secondary" },
  { to: "/rules", label: "nav.rules", icon: "book", placement: "secondary" },
  { to: "/more", label: "nav.more", icon: "more", placement: "more" },
];

/** The citizen app's frame: header, navigation (once signed in) and the page. */
export function CitizenLayout() {
  const { t } = useI18n();
  const { subjectId, signOut } = useCitizenSession();
  const navigate = useNavigate();
  const signedIn = typeof subjectId === "string";
  return (
    <div className={signedIn ? "shell shell-citizen signed-in" : "shell shell-citizen"}>
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>{t("app.name")}</span>
        </Link>
        <div className="header-tools">
          <LanguageSelect />
          {signedIn ? (
            <button
              type="button"
              className="button secondary small"
              onClick={async () => {
                await signOut();
                navigate("/sign-in");
              }}
            >
              {t("common.signOut")}
            </button>
          ) : null}
        </div>
      </header>
      <div className="app-body">
        {signedIn ? (
          <nav className="app-nav" aria-label={t("nav.label")}>
            <ul>
              {navItems.map((item) => (
                <li key={item.to} className={`nav-${item.placement}`}>
                  <NavLink to={item.to} end={item.to === "/"}>
                    <Icon name={item.icon} />
                    <span>{t(item.label)}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** Private pages: wait for the session check, then the page or the sign-in page. */
export function RequireCitizen() {
  const { t } = useI18n();
  const { subjectId } = useCitizenSession();
  const location = useLocation();
  if (subjectId === undefined) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (subjectId === null)
    return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}
