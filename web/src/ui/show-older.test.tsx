import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { OlderPages } from "../api/use-pages";
import { I18nProvider, type Language, translatorFor } from "../i18n/i18n";
import { ShowOlder } from "./show-older";

const older: OlderPages = {
  available: true,
  busy: false,
  error: undefined,
  show: () => {},
  startIndex: undefined,
};

function rendered(language: Language, pages: OlderPages): string {
  const { t } = translatorFor(language);
  return renderToStaticMarkup(
    <I18nProvider language={language}>
      <ShowOlder older={pages} label={t("accessLog.showOlder")} />
    </I18nProvider>,
  );
}

describe("ShowOlder", () => {
  it("offers the next page in the reader's language", () => {
    expect(rendered("en", older)).toMatch(/<button[^>]*>Show older<\/button>/);
    expect(rendered("zh-CN", older)).toMatch(/<button[^>]*>显示更早的查询<\/button>/);
  });

  it("is busy while a page loads, and gone when there is none", () => {
    expect(rendered("en", { ...older, busy: true })).toMatch(/disabled.*Loading…/);
    expect(rendered("en", { ...older, available: false })).toBe("");
  });
});
