import { describe, expect, it } from "vitest";
import { dayAt } from "../test-support/core.js";
import {
  countsAt,
  displayedStatus,
  holdsCapRoom,
  type LedgerLine,
  type StoredStatus,
  storedStatuses,
} from "./entry.js";

const line = (status: StoredStatus): LedgerLine => ({
  points: -10,
  status,
  effectiveAt: dayAt(10),
  expiresAt: dayAt(20),
});

describe("entries", () => {
  it.each(storedStatuses)(
    "an entry that is %s counts only if effective, inside its window",
    (status) => {
      const entry = line(status);
      expect(countsAt(entry, dayAt(10) - 1)).toBe(false);
      expect(countsAt(entry, dayAt(10))).toBe(status === "effective");
      expect(countsAt(entry, dayAt(20) - 1)).toBe(status === "effective");
      expect(countsAt(entry, dayAt(20))).toBe(false);
    },
  );

  it.each<[StoredStatus, string, string]>([
    ["effective", "effective", "expired"],
    ["capped", "capped", "expired"],
    ["pending_review", "pending_review", "pending_review"],
    ["disputed", "disputed", "disputed"],
    ["reversed", "reversed", "reversed"],
    ["rejected", "rejected", "rejected"],
  ])("shows an entry that is %s as %s before expiry and %s after", (status, before, after) => {
    expect(displayedStatus(line(status), dayAt(20) - 1)).toBe(before);
    expect(displayedStatus(line(status), dayAt(20))).toBe(after);
  });

  it.each<[StoredStatus, boolean]>([
    ["effective", true],
    ["pending_review", true],
    ["disputed", true],
    ["capped", false],
    ["reversed", false],
    ["rejected", false],
  ])("an entry that is %s holds cap room: %s", (status, holds) => {
    expect(holdsCapRoom(status)).toBe(holds);
  });
});
