import type { Instant } from "./time.js";

/** Status as stored; `expired` is never stored, it follows from the time (see `displayedStatus`). */
export const storedStatuses = [
  "effective",
  "pending_review",
  "capped",
  "disputed",
  "reversed",
  "rejected",
] as const;
export type StoredStatus = (typeof storedStatuses)[number];
export type EntryStatus = StoredStatus | "expired";

/** What scoring needs of an entry. */
export type LedgerLine = Readonly<{
  points: number;
  status: StoredStatus;
  /** The conduct's time, or the time it was recorded if the report came from slightly ahead. */
  effectiveAt: Instant;
  expiresAt: Instant;
}>;

/**
 * Charter item 4 and 6: an entry counts at `at` only while effective (not pending review, not
 * under an open appeal, not reversed or rejected) and inside its validity window.
 */
export function countsAt(line: LedgerLine, at: Instant): boolean {
  return line.status === "effective" && line.effectiveAt <= at && at < line.expiresAt;
}

export function displayedStatus(line: LedgerLine, at: Instant): EntryStatus {
  if ((line.status === "effective" || line.status === "capped") && at >= line.expiresAt) {
    return "expired";
  }
  return line.status;
}

/**
 * Whether an entry takes room under its rule's cap: everything that counts now or may count
 * after a human decision. Rejected and reversed entries free their room.
 */
export function holdsCapRoom(status: StoredStatus): boolean {
  return status === "effective" || status === "pending_review" || status === "disputed";
}
