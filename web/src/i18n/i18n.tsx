import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { type MessageKey, type Messages, messagesEn } from "./messages.en";
import { messagesZh } from "./messages.zh";

/** The languages of the app; every string on screen goes through `t` with one of them. */
export const languages = ["en", "zh-CN"] as const;
export type Language = (typeof languages)[number];

const catalogues: Readonly<Record<Language, Messages>> = { en: messagesEn, "zh-CN": messagesZh };
const storageKey = "civic.language";

export type Parameters = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, parameters?: Parameters) => string;

/** Groups of labels for the API's enumerations: `label("purpose", "credit")`. */
export type LabelGroup =
  | "category"
  | "transition"
  | "sourceKind"
  | "purpose"
  | "partnerKind"
  | "disclosure"
  | "notification"
  | "appealState"
  | "consentState"
  | "role"
  | "enrollment"
  | "refusal"
  | "auditAction";

/** The words of one language: messages by key, and the labels of the API's values. */
export type Translator = Readonly<{
  t: Translate;
  /** The label of an API value; a value the app does not know yet is shown as it is. */
  label: (group: LabelGroup, value: string) => string;
}>;

type I18n = Translator &
  Readonly<{
    language: Language;
    setLanguage: (language: Language) => void;
  }>;

const I18nContext = createContext<I18n | undefined>(undefined);

/** The stored choice, else the browser's preferred language, else English. */
export function initialLanguage(): Language {
  const stored = readStored();
  if (stored) return stored;
  const preferred = typeof navigator === "undefined" ? [] : navigator.languages;
  return preferred.some((tag) => tag.toLowerCase().startsWith("zh")) ? "zh-CN" : "en";
}

function readStored(): Language | undefined {
  try {
    const value = localStorage.getItem(storageKey);
    return languages.find((language) => language === value);
  } catch {
    return undefined;
  }
}

/** "{name} did {what}" with the parameters' values; a missing parameter stays visible. */
export function interpolate(message: string, parameters: Parameters = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in parameters ? String(parameters[name]) : whole,
  );
}

export function translatorFor(language: Language): Translator {
  const catalogue = catalogues[language];
  return {
    t: (key, parameters) => interpolate(catalogue[key], parameters),
    label: (group, value) => (catalogue as Record<string, string>)[`${group}.${value}`] ?? value,
  };
}

/** `language` starts the app in that language (a test); else the stored or preferred one. */
export function I18nProvider({
  language: startLanguage,
  children,
}: Readonly<{ language?: Language; children: ReactNode }>) {
  const [language, setLanguageState] = useState<Language>(() => startLanguage ?? initialLanguage());
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Private browsing may refuse storage: the choice then lasts for this page only.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, ...translatorFor(language) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside <I18nProvider>");
  return context;
}
