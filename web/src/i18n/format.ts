import { useMemo } from "react";
import { type Language, useI18n } from "./i18n";

const dayMilliseconds = 86_400_000;

/** Dates, times and numbers in the reader's language: one place, through Intl. */
export type Formats = Readonly<{
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  /** Signed: "+10", "−5", "0". */
  points: (points: number) => string;
  number: (value: number) => string;
  percent: (fraction: number) => string;
  /** Whole days from now to `iso`, rounded up; negative when past. */
  daysUntil: (iso: string, now?: number) => number;
}>;

export function formatsFor(language: Language): Formats {
  const date = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  const number = new Intl.NumberFormat(language);
  const signed = new Intl.NumberFormat(language, { signDisplay: "exceptZero" });
  const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 });
  return {
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    points: (points) => signed.format(points),
    number: (value) => number.format(value),
    percent: (fraction) => percent.format(fraction),
    daysUntil: (iso, now = Date.now()) => Math.ceil((Date.parse(iso) - now) / dayMilliseconds),
  };
}

export function useFormats(): Formats {
  const { language } = useI18n();
  return useMemo(() => formatsFor(language), [language]);
}
