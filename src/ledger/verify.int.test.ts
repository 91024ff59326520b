import { afterEach, describe, expect, it } from "vitest";
import { days } from "../core/time.js";
import { ingestLines } from "../ingest/ingest.service.js";
import { readNdjsonLines } from "../ingest/ndjson.reader.js";
import type { LedgerStore } from "../store/store.js";
import { eventLine, openTestLedger, type TestLedger } from "../test-support/ledger.js";
import { verifyLedger } from "./verify.js";

const now = Date.parse("2026-06-01T00:00:00Z");
let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

async function ingestedLedger(): Promise<TestLedger> {
  ledger = await openTestLedger({
    at: now,
    sources: [{ name: "police", kind: "agency", allowedTypes: ["*"] }],
    subjects: Array.from({ length: 30 }, (_, index) => ({ id: `c-${index}`, region: "north" })),
  });
  const lines = Array.from({ length: 300 }, (_, index) =>
    eventLine({
      id: `e-${index}`,
      subject: `c-${index % 30}`,
      type: index % 3 === 0 ? "public.queue_jumping" : "civic.volunteering",
      occurredAt: new Date(now - days(index % 170)).toISOString(),
    }),
  );
  async function* source() {
    yield Buffer.from(lines.join("\n"));
  }
  await ingestLines(readNdjsonLines(source()), {
    store: ledger.store,
    source: ledger.sources.get("police") as never,
    clock: () => now,
    batchSize: 64,
  });
  return ledger;
}

describe("verifyLedger", () => {
  it("finds every stored score equal to the recomputation, now and after expiries", async () => {
    const opened = await ingestedLedger();
    const progress: number[] = [];
    const report = await verifyLedger(opened.store, {
      at: now,
      pageSize: 7,
      onProgress: ({ subjectsChecked }) => progress.push(subjectsChecked),
    });
    expect(report).toMatchObject({ subjects: 30, entries: 300, differenceCount: 0, at: now });
    expect(progress).toEqual([7, 14, 21, 28, 30]);
    // Queue jumping expires after 180 days: the clock moves and the stored scores follow.
    const later = await verifyLedger(opened.store, { at: now + days(200) });
    expect(later).toMatchObject({ differenceCount: 0, at: now + days(200) });
  });

  it("lists a stored score that differs, with the stored and the recomputed values", async () => {
    const opened = await ingestedLedger();
    const target = await opened.store.subject("c-3");
    // A stored score off by 500, as a bug or a hand edit of the database would leave it.
    const tampered: LedgerStore = new Proxy(opened.store, {
      get(store, property, receiver) {
        if (property !== "storedScores") return Reflect.get(store, property, receiver);
        return async (internalIds: readonly number[]) => {
          const scores = await store.storedScores(internalIds);
          const stored = target && scores.get(target.internalId);
          if (target && stored)
            scores.set(target.internalId, { ...stored, score: stored.score + 500 });
          return scores;
        };
      },
    });
    const report = await verifyLedger(tampered, { at: now });
    expect(report.differenceCount).toBe(1);
    const [difference] = report.differences;
    expect(difference?.subjectId).toBe("c-3");
    expect((difference?.stored?.score ?? 0) - (difference?.recomputed.score ?? 0)).toBe(500);
    expect(difference?.stored?.rating).toBe(difference?.recomputed.rating);
  });
});
