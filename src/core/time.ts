/** An instant as milliseconds since the Unix epoch (UTC). The core never reads a clock. */
export type Instant = number;

export const millisecondsPerMinute = 60_000;
export const millisecondsPerDay = 86_400_000;

/** Events may carry a timestamp at most this far ahead of the receiver's clock (clock skew). */
export const futureToleranceMilliseconds = 5 * millisecondsPerMinute;

export function days(count: number): number {
  return count * millisecondsPerDay;
}

// A zone is required: "2026-01-01T10:00" would silently mean the server's local time.
const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Parses an ISO 8601 timestamp with an explicit zone (or a bare date, meaning midnight UTC);
 * returns undefined for anything else, including dates that do not exist: `Date.parse` would
 * read "2026-02-30" as 2 March and "24:00" as the next day.
 */
export function parseInstant(text: string): Instant | undefined {
  const match = instantPattern.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match;
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12) return undefined;
  if (Number(day) < 1 || Number(day) > daysInMonth(Number(year), monthNumber)) return undefined;
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) {
    return undefined;
  }
  if (Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) return undefined;
  const instant = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(instant) ? instant : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function formatInstant(instant: Instant): string {
  return new Date(instant).toISOString();
}
