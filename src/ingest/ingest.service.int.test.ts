import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { batchEventsMax } from "../core/batch.js";
import { outcomeKinds } from "../core/outcome.js";
import { verifyLedger } from "../ledger/verify.js";
import type { LedgerStore } from "../store/store.js";
import { eventLine, openTestLedger, type TestLedger } from "../test-support/ledger.js";
import { type BatchReport, ingestLines, type LineRefusal } from "./ingest.service.js";
import { readNdjsonLines } from "./ndjson.reader.js";

const now = Date.parse("2026-06-01T00:00:00Z");

let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

async function openLedger(): Promise<TestLedger> {
  ledger = await openTestLedger({
    at: now,
    sources: [
      { name: "police", kind: "agency", allowedTypes: ["traffic.*"] },
      { name: "cam", kind: "camera", allowedTypes: ["traffic.red_light"] },
    ],
    subjects: [
      { id: "c-001", region: "north" },
      { id: "c-002", region: "south" },
    ],
  });
  return ledger;
}

async function ingest(
  opened: TestLedger,
  text: string,
  options: Readonly<{ source?: string; batchSize?: number; store?: LedgerStore }> = {},
) {
  const refusals: LineRefusal[] = [];
  const batches: BatchReport[] = [];
  const result = await ingestLines(
    readNdjsonLines(Readable.from([Buffer.from(text)]), { lineBytesMax: 1_024 }),
    {
      store: options.store ?? opened.store,
      source: opened.sources.get(options.source ?? "police") as never,
      clock: () => now,
      batchSize: options.batchSize,
      lineBytesMax: 1_024,
      onRefusal: (refusal) => refusals.push(refusal),
      onBatch: (report) => batches.push(report),
    },
  );
  return { ...result, refusals, batches };
}

async function storedEventIds(store: LedgerStore): Promise<string[]> {
  const entries = [...(await store.entries("c-001")), ...(await store.entries("c-002"))];
  return entries.map((entry) => entry.eventId).sort();
}

describe("ingestLines with a SQLite store", () => {
  it("answers every outcome kind, each on its own line", async () => {
    const opened = await openLedger();
    const lines = [
      eventLine({ id: "ok-1" }),
      eventLine({ id: "ok-1" }),
      eventLine({ id: "ok-1", occurredAt: "2026-01-11T08:30:00Z" }),
      eventLine({ id: "type", type: "traffic.speeding" }),
      eventLine({ id: "who", subject: "c-404" }),
      eventLine({ id: "auth", type: "public.littering" }),
      eventLine({ id: "future", occurredAt: "2026-06-01T01:00:00Z" }),
      eventLine({ id: "field", evidence: undefined }),
      '{"id": "broken"',
      `{"id":"${"x".repeat(2_000)}"}`,
    ];
    const result = await ingest(opened, `${lines.join("\n")}\n`);
    // One line of each kind, the duplicate of line 1 included.
    expect(result.counts).toEqual(Object.fromEntries(outcomeKinds.map((kind) => [kind, 1])));
    expect(result.lastLineNumber).toBe(10);
    expect(
      result.refusals
        .map(({ lineNumber, kind }) => [lineNumber, kind])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [3, "id_reused_with_different_payload"],
      [4, "unknown_event_type"],
      [5, "unknown_subject"],
      [6, "source_not_authorised_for_type"],
      [7, "occurred_in_future"],
      [8, "invalid_field"],
      [9, "malformed_json"],
      [10, "too_large"],
    ]);
    for (const refusal of result.refusals) expect(refusal.message).not.toBe("");
    expect(await storedEventIds(opened.store)).toEqual(["ok-1"]);
  });

  it("stores exactly the good lines of a file mixing good and bad ones", async () => {
    const opened = await openLedger();
    const lines: string[] = [];
    const good: string[] = [];
    for (let index = 0; index < 230; index++) {
      const id = `e-${index}`;
      if (index % 7 === 3) lines.push(`{"id":"${id}",`);
      else if (index % 11 === 5) lines.push(eventLine({ id, subject: "nobody" }));
      else if (index % 13 === 8) lines.push(eventLine({ id, type: "finance.payment_default" }));
      else {
        lines.push(eventLine({ id, subject: index % 2 ? "c-001" : "c-002" }));
        good.push(id);
      }
      if (index % 17 === 0) lines.push("");
    }
    const result = await ingest(opened, lines.join("\r\n"), { batchSize: 16 });
    expect(result.counts.accepted).toBe(good.length);
    expect(await storedEventIds(opened.store)).toEqual([...good].sort());
    expect((await opened.store.counts()).entries).toBe(good.length);
    expect(result.batches.length).toBeGreaterThan(5);
    const last = result.batches.at(-1) as BatchReport;
    expect(last.counts).toEqual(result.counts);
    expect(last.lastLineNumber).toBe(result.lastLineNumber);
    expect((await verifyLedger(opened.store, { at: now })).differenceCount).toBe(0);
  });

  it("reports each commit with the last line it decided and the running counts", async () => {
    const opened = await openLedger();
    const lines = Array.from({ length: 10 }, (_, index) => eventLine({ id: `e-${index}` }));
    lines.splice(4, 0, "not json");
    const result = await ingest(opened, lines.join("\n"), { batchSize: 4 });
    expect(
      result.batches.map((batch) => [
        batch.lastLineNumber,
        batch.batch.accepted,
        batch.counts.accepted,
      ]),
    ).toEqual([
      [4, 4, 4],
      [9, 4, 8],
      [11, 2, 10],
    ]);
    expect(result.batches[1]?.counts.malformed_json).toBe(1);
  });

  it("writes nothing of a batch the store fails, and keeps what committed before", async () => {
    const opened = await openLedger();
    let calls = 0;
    const failing: LedgerStore = new Proxy(opened.store, {
      get(target, property, receiver) {
        if (property === "ingestBatch") {
          return async (...args: Parameters<LedgerStore["ingestBatch"]>) => {
            calls++;
            if (calls === 2) throw new Error("disk full");
            return target.ingestBatch(...args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const lines = Array.from({ length: 12 }, (_, index) => eventLine({ id: `e-${index}` }));
    await expect(
      ingest(opened, lines.join("\n"), { batchSize: 5, store: failing }),
    ).rejects.toThrow("disk full");
    expect((await opened.store.counts()).entries).toBe(5);
    const again = await ingest(opened, lines.join("\n"), { batchSize: 5 });
    expect(again.counts.duplicate).toBe(5);
    expect(again.counts.accepted).toBe(7);
    expect((await verifyLedger(opened.store, { at: now })).differenceCount).toBe(0);
  });

  it("sends a camera's low-confidence attribution to review and refuses one without confidence", async () => {
    const opened = await openLedger();
    const result = await ingest(
      opened,
      [
        eventLine({ id: "c1", confidence: 0.5 }),
        eventLine({ id: "c2" }),
        eventLine({ id: "c3", confidence: 0.95 }),
      ].join("\n"),
      { source: "cam" },
    );
    expect(result.counts.accepted).toBe(2);
    expect(result.refusals).toEqual([
      expect.objectContaining({ lineNumber: 2, kind: "invalid_field" }),
    ]);
    const statuses = (await opened.store.entries("c-001")).map((entry) => [
      entry.eventId,
      entry.status,
    ]);
    expect(statuses).toEqual([
      ["c1", "pending_review"],
      ["c3", "effective"],
    ]);
  });

  it("refuses a batch size the store cannot take", async () => {
    const opened = await openLedger();
    await expect(ingest(opened, "", { batchSize: batchEventsMax + 1 })).rejects.toThrow(
      "batchSize",
    );
    await expect(ingest(opened, "", { batchSize: 0 })).rejects.toThrow("batchSize");
  });
});
