import { afterEach, describe, expect, it } from "vitest";
import { openTestLedger, type TestLedger } from "../test-support/ledger.js";
import { enrollRows } from "./enroll.service.js";
import type { SubjectRow } from "./subjects.reader.js";

const now = Date.parse("2026-06-01T00:00:00Z");
let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

async function* fromArray(rows: readonly SubjectRow[]) {
  yield* rows;
}

describe("enrollRows", () => {
  it("enrolls valid rows in batches, skips bad ones and leaves enrolled subjects alone", async () => {
    ledger = await openTestLedger({ at: now, subjects: [{ id: "old", region: "north" }] });
    const rows: SubjectRow[] = [
      { lineNumber: 1, subject: { id: "old", region: "south" } },
      { lineNumber: 2, refusal: "invalid_field", message: "id: bad" },
      ...Array.from({ length: 5 }, (_, index) => ({
        lineNumber: index + 3,
        subject: { id: `c-${index}`, region: "north" },
      })),
      { lineNumber: 8, subject: { id: "c-0", region: "elsewhere" } },
    ];
    const refusals: unknown[] = [];
    const batches: number[] = [];
    const counts = await enrollRows(fromArray(rows), {
      store: ledger.store,
      clock: () => now,
      batchSize: 2,
      onRefusal: (refusal) => refusals.push(refusal),
      onBatch: ({ lastLineNumber }) => batches.push(lastLineNumber),
    });
    expect(counts).toEqual({ enrolled: 5, already_enrolled: 2, invalid: 1 });
    expect(refusals).toEqual([{ lineNumber: 2, kind: "invalid_field", message: "id: bad" }]);
    expect(batches).toEqual([3, 5, 7, 8]);
    expect((await ledger.store.subject("old"))?.region).toBe("north");
    expect((await ledger.store.subject("c-0"))?.region).toBe("north");
    expect((await ledger.store.counts()).subjects).toBe(6);
  });
});
