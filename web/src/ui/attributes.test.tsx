import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { I18nProvider, type Language } from "../i18n/i18n";
import { AttributeList, attributeNameText, hasAttributes } from "./attributes";

function rendered(language: Language, element: React.ReactElement): string {
  return renderToStaticMarkup(<I18nProvider language={language}>{element}</I18nProvider>);
}

describe("AttributeList", () => {
  it("shows each reported fact as a readable name and its value as given", () => {
    const attributes = { speed_kmh: 87, lane: "left", wet_road: true, limit_kmh: 50.5 };
    expect(rendered("en", <AttributeList attributes={attributes} />)).toBe(
      '<dl class="attribute-list">' +
        "<div><dt>speed kmh</dt><dd>87</dd></div>" +
        "<div><dt>lane</dt><dd>left</dd></div>" +
        "<div><dt>wet road</dt><dd>yes</dd></div>" +
        "<div><dt>limit kmh</dt><dd>50.5</dd></div>" +
        "</dl>",
    );
  });

  it("words yes and no in the reader's language, and leaves names untranslated", () => {
    const html = rendered("zh-CN", <AttributeList attributes={{ wet_road: false }} />);
    expect(html).toBe('<dl class="attribute-list"><div><dt>wet road</dt><dd>否</dd></div></dl>');
  });

  it("treats no attributes and an empty map alike: nothing to show", () => {
    expect(hasAttributes(undefined)).toBe(false);
    expect(hasAttributes({})).toBe(false);
    expect(hasAttributes({ speed_kmh: 87 })).toBe(true);
    expect(attributeNameText("seconds_into_red")).toBe("seconds into red");
  });
});
