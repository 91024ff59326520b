/** An instant as milliseconds since the Unix epoch (UTC). The core never reads a clock. */
export type Instant = number;

export const millisecondsPerMinute = 60_000;
export const millisecondsPerDay = 86_400_000;

/** Events may carry a timestamp at most this far ahead of the receiver's clock (clock skew). */
export const futureToleranceMilliseconds = 5 * millisecondsPerMinute;

export function days(count: number): number {
  return count * millisecondsPerDay;
}

/** Parses an ISO 8601 timestamp with an explicit zone; returns undefined for anything else. */
export function parseInstant(text: string): Instant | undefined {
  // A zone is required: "2026-01-01T10:00" would silently mean the server's local time.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
    return undefined;
  }
  const instant = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(instant) ? instant : undefined;
}

export function formatInstant(instant: Instant): string {
  return new Date(instant).toISOString();
}
