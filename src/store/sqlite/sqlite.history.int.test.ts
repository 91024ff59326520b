import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { BatchItem } from "../../core/batch.js";
import type { HistoryChunk } from "../../core/history.js";
import { days } from "../../core/time.js";
import { temporaryFolder } from "../../test-support/ledger.js";
import { dayAfterStart, item, seedLedger, start } from "../contract/support.js";
import type { HistoryQuery, LedgerStore } from "../store.js";
import { openSqliteStore, type SqliteStore, sqliteDatabasePath } from "./sqlite.store.js";

const folders: { remove: () => void }[] = [];
const stores: LedgerStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const folder of folders.splice(0)) folder.remove();
});

function databasePath(): string {
  const folder = temporaryFolder("history");
  folders.push(folder);
  return sqliteDatabasePath(folder.path);
}

function open(path: string, options: { readOnly?: boolean; passEventsMax?: number } = {}) {
  const store = openSqliteStore({
    path,
    readOnly: options.readOnly,
    historyPassEventsMax: options.passEventsMax,
  });
  stores.push(store);
  return store;
}

const types = ["traffic.red_light", "civic.volunteering", "commerce.healthy_purchase"];

/** 40 subjects in four regions and 600 events, reported out of time order. */
async function seedBusyLedger(store: SqliteStore): Promise<void> {
  const sources = await seedLedger(store);
  await store.enrollSubjects(
    Array.from({ length: 40 }, (_, index) => ({ id: `s-${index}`, region: `r-${index % 4}` })),
    start,
  );
  const items: BatchItem[] = Array.from({ length: 600 }, (_, index) =>
    item({
      id: `e-${index}`,
      subject: `s-${(index * 7) % 40}`,
      type: types[index % types.length] as string,
      occurredAt: start + ((index * 7919) % 97) * days(1),
    }),
  );
  await store.ingestBatch(sources.registry, items, dayAfterStart(100));
}

async function collect(store: LedgerStore, query: HistoryQuery) {
  const chunks: unknown[] = [];
  for await (const chunk of store.history(query)) chunks.push(plain(chunk));
  return chunks;
}

/** A chunk with its columns as arrays: comparable whatever views it is built from. */
function plain(chunk: HistoryChunk) {
  const { events } = chunk;
  return {
    internalIds: [...chunk.subjects.internalIds],
    regions: [...chunk.subjects.regionIndex].map((index) => chunk.regions[index]),
    types: [...events.typeIndex].map((index) => chunk.types[index]),
    subjectIndex: [...events.subjectIndex],
    occurredAt: [...events.occurredAt],
    standing: [...events.standing],
    livePoints: [...events.livePoints],
  };
}

const fileHash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the SQLite history read", () => {
  it("reads the same history in one pass or in many, in chunks of any size", async () => {
    const path = databasePath();
    await seedBusyLedger(open(path));
    const query = { at: dayAfterStart(100), confidenceMin: 0.9, chunkEventsMax: 1_000 };
    const onePass = await collect(open(path), query);
    expect(onePass).toHaveLength(1);
    const manyPasses = await collect(open(path, { passEventsMax: 50 }), query);
    expect(manyPasses.length).toBeGreaterThan(5);
    const flatten = (chunks: unknown[]) =>
      (chunks as ReturnType<typeof plain>[]).flatMap((chunk) =>
        chunk.internalIds.map((internalId, position) => ({
          internalId,
          region: chunk.regions[position],
          times: chunk.occurredAt.filter((_, index) => chunk.subjectIndex[index] === position),
        })),
      );
    expect(flatten(manyPasses)).toEqual(flatten(onePass));
  });

  it("reads from a store opened read-only, which refuses writes and leaves the file as it was", async () => {
    const path = databasePath();
    const writer = open(path);
    await seedBusyLedger(writer);
    await writer.close();
    const before = fileHash(path);
    const reader = open(path, { readOnly: true });
    const chunks = await collect(reader, { at: dayAfterStart(100), confidenceMin: 0.9 });
    expect(chunks).toHaveLength(1);
    await expect(reader.enrollSubjects([{ id: "new", region: "r-0" }], start)).rejects.toThrow(
      /readonly/,
    );
    await reader.close();
    expect(fileHash(path)).toBe(before);
  });

  it("refuses to open a missing file read-only", () => {
    expect(() => open(`${databasePath()}.missing`, { readOnly: true })).toThrow();
  });

  it("reads one snapshot while the store goes on writing", async () => {
    const path = databasePath();
    const store = open(path);
    await seedBusyLedger(store);
    const query = { at: dayAfterStart(200), confidenceMin: 0.9, chunkEventsMax: 10 };
    const expected = await collect(store, query);
    const read: unknown[] = [];
    for await (const chunk of store.history(query)) {
      read.push(plain(chunk));
      if (read.length === 1) {
        // A write in the middle of the read: neither blocked nor seen by it.
        await store.enrollSubjects([{ id: "late", region: "r-9" }], dayAfterStart(150));
        await store.advanceClock(dayAfterStart(160));
      }
    }
    expect(read).toEqual(expected);
    const after = await collect(store, query);
    expect(after).not.toEqual(expected);
  });
});
