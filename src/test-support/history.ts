/** Raw history events for the columnar history's tests. Test code only. */
import { allocateRaw, type RawEvents } from "../store/sqlite/sqlite.history.raw.js";

/** What a test says of one event; entry ids are given in order from 1. */
export type RawEventInput = Readonly<{
  subject: number;
  occurredAt: number;
  /** How long after its occurrence the entry takes effect (negative: a report from ahead). */
  effectiveDelay: number;
  expiresAfter: number;
  typeId: number;
  points: number;
  status: number;
  initialStatus: number;
  confidence: number | null | undefined;
}>;

/** The events as raw columns, in the order given. */
export function rawEventsOf(events: readonly RawEventInput[]): RawEvents {
  const raw = allocateRaw(events.length);
  events.forEach((event, index) => {
    raw.entryId[index] = index + 1;
    raw.subjectId[index] = event.subject;
    raw.occurredAt[index] = event.occurredAt;
    raw.effectiveAt[index] = event.occurredAt + event.effectiveDelay;
    raw.expiresAt[index] = event.occurredAt + event.expiresAfter;
    raw.typeId[index] = event.typeId;
    raw.points[index] = event.points;
    raw.status[index] = event.status;
    raw.initialStatus[index] = event.initialStatus;
    raw.confidence[index] = event.confidence ?? Number.NaN;
  });
  raw.length = events.length;
  return raw;
}
