import { useMemo } from "react";
import { type Language, useI18n } from "./i18n";

const dayMilliseconds = 86_400_000;
/** The smallest share a percentage with one decimal shows: 0.1%. */
const rateShownMin = 0.001;

/** Dates, times and numbers in the reader's language: one place, through Intl. */
export type Formats = Readonly<{
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  /** Numeric date and time, for narrow columns: "11/27/26, 2:05 PM". */
  dateTimeShort: (iso: string) => string;
  /** Signed: "+10", "−5", "0". */
  points: (points: number) => string;
  number: (value: number) => string;
  percent: (fraction: number) => string;
  /** A share that may be tiny: "0.4%", and "<0.1%" rather than a "0%" that is not zero. */
  rate: (fraction: number) => string;
  /** "Credit, Insurance and Travel": a list joined as the language joins one. */
  list: (items: readonly string[]) => string;
  /** Whole days from now to `iso`, rounded up; negative when past. */
  daysUntil: (iso: string, now?: number) => number;
}>;

export function formatsFor(language: Language): Formats {
  const date = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  const dateTimeShort = new Intl.DateTimeFormat(language, {
    dateStyle: "short",
    timeStyle: "short",
  });
  const number = new Intl.NumberFormat(language);
  const signed = new Intl.NumberFormat(language, { signDisplay: "exceptZero" });
  const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 });
  const list = new Intl.ListFormat(language, { type: "conjunction" });
  return {
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    dateTimeShort: (iso) => dateTimeShort.format(new Date(iso)),
    points: (points) => signed.format(points),
    number: (value) => number.format(value),
    percent: (fraction) => percent.format(fraction),
    rate: (fraction) =>
      fraction > 0 && fraction < rateShownMin
        ? `<${percent.format(rateShownMin)}`
        : percent.format(fraction),
    list: (items) => list.format(items),
    daysUntil: (iso, now = Date.now()) => Math.ceil((Date.parse(iso) - now) / dayMilliseconds),
  };
}

export function useFormats(): Formats {
  const { language } = useI18n();
  return useMemo(() => formatsFor(language), [language]);
}
