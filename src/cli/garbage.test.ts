import { describe, expect, it } from "vitest";
import { collectEvery, fullCollection } from "./garbage.js";

describe("collectEvery", () => {
  it("collects once per interval of lines, however the batches fall", () => {
    const collected: number[] = [];
    let lineNumber = 0;
    const collect = collectEvery(100, () => collected.push(lineNumber));
    for (lineNumber of [40, 99, 100, 150, 199, 260, 270, 1_000, 1_099]) collect(lineNumber);
    expect(collected).toEqual([100, 260, 1_000]);
  });

  it("runs V8's full collection, which frees what nothing refers to", async () => {
    const collect = fullCollection();
    const unreachable = new WeakRef({ lines: Array.from({ length: 1_000 }, String) });
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(unreachable.deref()).toBeUndefined();
  });
});
