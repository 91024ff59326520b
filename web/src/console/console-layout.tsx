import { useMemo, useState } from "react";
import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { type OperatorRole, type OperatorSession, operatorSession } from "../api/operator-session";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages.en";
import { LanguageSelect } from "../ui/language-select";
import { OperatorContext } from "./operator-context";

type ConsoleItem = Readonly<{ to: string; label: MessageKey; roles: readonly OperatorRole[] }>;

/** The pages of each role, as the API authorises them: reviewers review, admins administer. */
export const consoleItems: readonly ConsoleItem[] = [
  { to: "/console/reviews", label: "console.nav.reviews", roles: ["reviewer"] },
  { to: "/console/appeals", label: "console.nav.appeals", roles: ["reviewer"] },
  { to: "/console/dashboard", label: "console.nav.dashboard", roles: ["admin"] },
  { to: "/console/rulebook", label: "console.nav.rulebook", roles: ["admin"] },
  { to: "/console/access", label: "console.nav.access", roles: ["admin"] },
  { to: "/console/audit", label: "console.nav.audit", roles: ["admin"] },
];

/** The operator console's frame: who is signed in with which role, and that role's pages. */
export default function ConsoleLayout() {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const [session, setSessionState] = useState<OperatorSession | undefined>(operatorSession.read);
  const context = useMemo(
    () => ({
      session,
      setSession: (next: OperatorSession | undefined) => {
        if (next) operatorSession.write(next);
        else operatorSession.clear();
        setSessionState(next);
      },
    }),
    [session],
  );
  const items = consoleItems.filter((item) => session && item.roles.includes(session.role));
  return (
    <OperatorContext.Provider value={context}>
      <div className="shell shell-console">
        <a className="skip-link" href="#main">
          {t("common.skipToContent")}
        </a>
        <header className="app-header">
          <Link to="/console" className="brand">
            <img src="/icon.svg" alt="" width="28" height="28" />
            <span>{t("console.name")}</span>
          </Link>
          <div className="header-tools">
            {session ? (
              <span className="who">
                {session.name} · {label("role", session.role)}
              </span>
            ) : null}
            <LanguageSelect />
            {session ? (
              <button
                type="button"
                className="button secondary small"
                onClick={() => {
                  context.setSession(undefined);
                  navigate("/console/sign-in");
                }}
              >
                {t("common.signOut")}
              </button>
            ) : null}
          </div>
        </header>
        {items.length > 0 ? (
          <nav className="console-nav" aria-label={t("console.nav.label")}>
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{t(item.label)}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </OperatorContext.Provider>
  );
}
