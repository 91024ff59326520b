/**
 * Reading and predicting a store's history, for the history contract and the SQLite sealer's
 * properties. Test code only (not built).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { countsAt } from "../../core/entry.js";
import { type HistoryChunk, standingCode } from "../../core/history.js";
import { days } from "../../core/time.js";
import { transitionKinds } from "../../core/transition.js";
import type { EntryRecord, HistoryQuery, LedgerStore } from "../store.js";
import { item, type Sources } from "./support.js";

export type ReadEvent = Readonly<{
  type: string;
  occurredAt: number;
  standing: number;
  livePoints: number;
}>;
export type ReadSubject = Readonly<{ internalId: number; region: string; events: ReadEvent[] }>;

/** Every chunk of a history read, checked for shape, flattened to one list of subjects. */
export async function readHistory(
  store: LedgerStore,
  query: HistoryQuery,
): Promise<{ subjects: ReadSubject[]; chunks: number }> {
  const subjects: ReadSubject[] = [];
  let chunks = 0;
  for await (const chunk of store.history(query)) {
    chunks++;
    expectChunkShape(chunk);
    for (let subject = 0; subject < chunk.subjects.count; subject++) {
      subjects.push({
        internalId: chunk.subjects.internalIds[subject] as number,
        region: chunk.regions[chunk.subjects.regionIndex[subject] as number] as string,
        events: [],
      });
    }
    const first = subjects.length - chunk.subjects.count;
    for (let index = 0; index < chunk.events.length; index++) {
      subjects[first + (chunk.events.subjectIndex[index] as number)]?.events.push({
        type: chunk.types[chunk.events.typeIndex[index] as number] as string,
        occurredAt: chunk.events.occurredAt[index] as number,
        standing: chunk.events.standing[index] as number,
        livePoints: chunk.events.livePoints[index] as number,
      });
    }
  }
  const ids = subjects.map((subject) => subject.internalId);
  expect(ids, "subjects in ascending internal id order, each once").toEqual(
    [...new Set(ids)].sort((left, right) => left - right),
  );
  return { subjects, chunks };
}

function expectChunkShape(chunk: HistoryChunk): void {
  const { events, subjects } = chunk;
  for (const column of [
    events.subjectIndex,
    events.typeIndex,
    events.occurredAt,
    events.standing,
    events.livePoints,
  ]) {
    expect(column.length).toBe(events.length);
  }
  expect(subjects.internalIds.length).toBe(subjects.count);
  for (let index = 1; index < events.length; index++) {
    const subject = events.subjectIndex[index] as number;
    const previous = events.subjectIndex[index - 1] as number;
    expect(subject, "grouped by subject").toBeGreaterThanOrEqual(previous);
    if (subject === previous) {
      expect(events.occurredAt[index], "time-sorted within a subject").toBeGreaterThanOrEqual(
        events.occurredAt[index - 1] as number,
      );
    }
  }
  if (events.length > 0) expect(events.subjectIndex.at(-1)).toBeLessThan(subjects.count);
}

export async function expectedHistory(
  store: LedgerStore,
  query: Pick<HistoryQuery, "at" | "confidenceMin">,
): Promise<ReadSubject[]> {
  const subjects: ReadSubject[] = [];
  for (let after = 0; ; ) {
    const page = await store.subjectsPage(after, 100);
    if (page.length === 0) return subjects;
    const entries = await store.entriesOfSubjects(page.map((subject) => subject.internalId));
    for (const subject of page) {
      const own = [...(entries.get(subject.internalId) ?? [])].sort(
        (left, right) => left.occurredAt - right.occurredAt || left.id - right.id,
      );
      subjects.push({
        internalId: subject.internalId,
        region: subject.region,
        events: own.map((entry) => readEventOf(entry, query)),
      });
    }
    after = page.at(-1)?.internalId ?? after;
  }
}

function readEventOf(
  entry: EntryRecord,
  query: Pick<HistoryQuery, "at" | "confidenceMin">,
): ReadEvent {
  return {
    type: entry.type,
    occurredAt: entry.occurredAt,
    standing: standingCode({
      status: entry.status,
      confirmed: entry.initialStatus === "pending_review" && entry.status === "effective",
      lowConfidence: entry.confidence !== undefined && entry.confidence < query.confidenceMin,
    }),
    livePoints: countsAt(entry, query.at) ? entry.points : 0,
  };
}

const historySubjects = ["alice", "bob", "carol", "dave", "erin"] as const;

/** Random ledger work for history properties: reports (some a little ahead), transitions, time. */
export const historyOperation = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("ingest" as const),
      source: fc.constantFrom("registry", "camera", "grocer") as fc.Arbitrary<keyof Sources>,
      events: fc.array(
        fc.record({
          subject: fc.constantFrom(...historySubjects),
          type: fc.constantFrom(
            "traffic.red_light",
            "commerce.healthy_purchase",
            "online.gaming_excess",
            "civic.volunteering",
            "public.littering",
          ),
          // Few distinct days: equal times, which must keep recording order, are common.
          daysAgo: fc.constantFrom(0, 1, 2, 30, 200, 420),
          minutesAhead: fc.constantFrom(0, 0, 0, 3),
          confidence: fc.constantFrom(0.4, 0.85, 0.9, 0.97),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      afterDays: fc.constantFrom(0, 0, 1, 2, 20),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("transition" as const),
      entry: fc.integer({ min: 1, max: 30 }),
      transition: fc.constantFrom(...transitionKinds),
      afterDays: fc.integer({ min: 0, max: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("clock" as const), afterDays: fc.nat(90) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("enroll" as const),
      subject: fc.constantFrom("dave", "erin"),
      region: fc.constantFrom("south", "east"),
    }),
  },
);

export type HistoryOperation =
  typeof historyOperation extends fc.Arbitrary<infer Value> ? Value : never;

/** Applies one operation; returns the time after it. Refusals (e.g. a transition that does not apply) are part of the game. */
export async function applyHistoryOperation(
  store: LedgerStore,
  sources: Sources,
  operation: HistoryOperation,
  step: Readonly<{ now: number; serial: number }>,
): Promise<number> {
  const now = step.now + ("afterDays" in operation ? days(operation.afterDays) : 0);
  if (operation.kind === "ingest") {
    const items = operation.events.map((event, index) =>
      item({
        id: `h-${step.serial}-${index}`,
        subject: event.subject,
        type: operation.source === "camera" ? "traffic.red_light" : event.type,
        occurredAt: now - days(event.daysAgo) + event.minutesAhead * 60_000,
        confidence: operation.source === "camera" ? event.confidence : undefined,
      }),
    );
    await store.ingestBatch(sources[operation.source], items, now);
  } else if (operation.kind === "transition") {
    await store.applyTransition(operation.entry, {
      kind: operation.transition,
      actor: "property",
      at: now,
      reason: "random",
    });
  } else if (operation.kind === "clock") {
    await store.advanceClock(now);
  } else {
    await store.enrollSubjects([{ id: operation.subject, region: operation.region }], now);
  }
  return now;
}

/** A query of the history at a random time and threshold, in chunks of a random size. */
export const historyQueryShape = fc.record({
  atDays: fc.integer({ min: -400, max: 400 }),
  confidenceMin: fc.constantFrom(0.5, 0.9, 0.95),
  chunkEventsMax: fc.constantFrom(1, 3, 1_000),
});
