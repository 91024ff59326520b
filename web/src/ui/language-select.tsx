import { useId } from "react";
import { type Language, languages, useI18n } from "../i18n/i18n";

/** Each language is named in itself, so a reader who cannot read the current one finds theirs. */
const ownNames: Readonly<Record<Language, string>> = { en: "English", "zh-CN": "简体中文" };

export function LanguageSelect() {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className="language-select">
      <label htmlFor={id}>{t("common.language")}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {languages.map((option) => (
          <option key={option} value={option} lang={option}>
            {ownNames[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
