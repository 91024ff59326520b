import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { dayAfterStart, item, seedLedger, start } from "../contract/support.js";
import { openSqliteStore, type SqliteStore, sqliteDatabasePath } from "./sqlite.store.js";

describe("the background checkpointer", () => {
  let folder: string | undefined;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** In WAL mode only checkpoints write the database file itself: its modification time. */
  const fileWritten = (path: string) => statSync(path).mtimeMs;

  it("copies committed writes into the database file soon, while the store stays open", async () => {
    folder = mkdtempSync(join(tmpdir(), "civic-checkpointer-"));
    const path = sqliteDatabasePath(folder);
    store = openSqliteStore({ path });
    const sources = await seedLedger(store);
    await sleep(200);
    const before = fileWritten(path);
    // Many small commits, as partner lookups make: far below the writer's own checkpoint size.
    for (let index = 0; index < 200; index++) {
      const event = { id: `e-${index}`, subject: "alice", type: "traffic.speeding" } as const;
      await store.ingestBatch(
        sources.police,
        [item({ ...event, occurredAt: start + index })],
        dayAfterStart(1),
      );
    }
    const deadline = Date.now() + 10_000;
    while (fileWritten(path) <= before && Date.now() < deadline) await sleep(20);
    expect(fileWritten(path)).toBeGreaterThan(before);
  });
});
