import { InvalidArgumentError, Option } from "commander";
import { typePatternRegex } from "../core/source.js";
import { type Instant, parseInstant } from "../core/time.js";

/** `--at 2026-03-01T08:30:00Z`, a date `2026-03-01` (midnight UTC) or `now`. */
export function parseTimeOption(value: string): Instant {
  if (value === "now") return Date.now();
  const instant = parseInstant(value);
  if (instant === undefined) {
    throw new InvalidArgumentError(
      "expected an ISO 8601 time with a zone (2026-03-01T08:30:00Z), a date (2026-03-01) or now.",
    );
  }
  return instant;
}

/** A parser for a whole number within [minimum, maximum]. */
export function wholeNumberOption(minimum: number, maximum: number) {
  return (value: string): number => {
    const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < minimum || number > maximum) {
      throw new InvalidArgumentError(`expected a whole number from ${minimum} to ${maximum}.`);
    }
    return number;
  };
}

const namePattern = /^[A-Za-z0-9._:@-]{1,64}$/;

export function parseNameArgument(value: string): string {
  if (!namePattern.test(value)) {
    throw new InvalidArgumentError("expected 1 to 64 letters, digits and . _ : @ - (no spaces).");
  }
  return value;
}

/** `traffic.*,finance.payment_default` as a list of type patterns. */
export function parseTypePatterns(value: string): string[] {
  const patterns = value
    .split(",")
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== "");
  const bad = patterns.find((pattern) => !typePatternRegex.test(pattern));
  if (patterns.length === 0 || bad !== undefined) {
    throw new InvalidArgumentError(
      `${bad === undefined ? "no type given" : `'${bad}' is not a type pattern`}; expected types or namespace globs separated by commas, e.g. 'traffic.*,finance.payment_default'.`,
    );
  }
  return patterns;
}

export function jsonOption(): Option {
  return new Option("--json", "print JSON on stdout instead of tables");
}

export function atOption(what: string): Option {
  return new Option("--at <time>", `${what} (ISO 8601 with a zone, a date, or now)`).argParser(
    parseTimeOption,
  );
}
