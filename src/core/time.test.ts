import { describe, expect, it } from "vitest";
import { days, formatInstant, futureToleranceMilliseconds, parseInstant } from "./time.js";

describe("parseInstant", () => {
  it.each([
    ["2026-03-01T08:30:00Z", Date.UTC(2026, 2, 1, 8, 30)],
    ["2026-03-01T08:30Z", Date.UTC(2026, 2, 1, 8, 30)],
    ["2026-03-01T09:30:00+01:00", Date.UTC(2026, 2, 1, 8, 30)],
    ["2026-03-01T03:00:00-05:30", Date.UTC(2026, 2, 1, 8, 30)],
    ["2026-03-01T08:30:00.123Z", Date.UTC(2026, 2, 1, 8, 30, 0, 123)],
    ["2026-03-01T08:30:00.123456789Z", Date.UTC(2026, 2, 1, 8, 30, 0, 123)],
    ["2026-03-01", Date.UTC(2026, 2, 1)],
    ["2024-02-29T12:00:00Z", Date.UTC(2024, 1, 29, 12)],
    ["2000-02-29T00:00:00Z", Date.UTC(2000, 1, 29)],
    ["2026-12-31T23:59:59Z", Date.UTC(2026, 11, 31, 23, 59, 59)],
    ["2026-01-01T00:00:00+14:00", Date.UTC(2025, 11, 31, 10)],
  ])("reads %s", (text, instant) => {
    expect(parseInstant(text)).toBe(instant);
  });

  it.each([
    "2026-03-01T08:30:00", // no zone: would mean the server's local time
    "2026-03-01T08:30",
    "2026-03-01 08:30:00Z",
    "2026-03-01T08:30:00z",
    "2026-03-01T08:30:00+0100",
    "2026-3-1",
    "1772353800000",
    "",
    "yesterday",
    "2026-02-30T00:00:00Z", // Date.parse reads it as 2 March
    "2026-02-29",
    "2025-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-01-01T24:00:00Z", // Date.parse reads it as the next midnight
    "2026-01-01T23:60:00Z",
    "2026-01-01T23:59:60Z",
    "2026-01-01T10:00:00+24:00",
    "2026-01-01T10:00:00+01:60",
    " 2026-01-01T10:00:00Z",
  ])("refuses %j", (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it("round-trips formatInstant", () => {
    const instant = Date.UTC(2026, 6, 4, 12, 34, 56, 789);
    expect(formatInstant(instant)).toBe("2026-07-04T12:34:56.789Z");
    expect(parseInstant(formatInstant(instant))).toBe(instant);
  });

  it("names its limits in milliseconds", () => {
    expect(days(1)).toBe(86_400_000);
    expect(futureToleranceMilliseconds).toBe(300_000);
  });
});
