import { type ReactNode, useEffect, useRef } from "react";
import { useI18n } from "../i18n/i18n";

/** The document's first page keeps the browser's own focus (the top of the document). */
let firstPageShown = false;

/**
 * A page: its title in the tab and as the one <h1>, which takes focus when the page opens so a
 * screen reader announces the new page and Tab starts from its top.
 */
export function Page({
  title,
  intro,
  children,
}: Readonly<{ title: string; intro?: ReactNode; children: ReactNode }>) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  useEffect(() => {
    // After a navigation, the link that was followed is gone and focus would fall back to
    // the document's start; the new page's heading takes it instead.
    if (firstPageShown) heading.current?.focus();
    firstPageShown = true;
  }, []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {intro === undefined ? null : <p className="intro">{intro}</p>}
      {children}
    </>
  );
}
