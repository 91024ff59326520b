import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consumerName,
  formatPartitions,
  parsePartitions,
  partitionOf,
  partitionOfSubject,
  partitionSubject,
  pipelineTopology,
  streamNameProblem,
  streamSubjects,
} from "./pipeline.topology.js";

describe("the pipeline's topology", () => {
  it("derives the subjects from the stream name, one per partition", () => {
    const topology = pipelineTopology("CIVIC_EVENTS", 3);
    expect(streamSubjects(topology)).toEqual([
      "civic.events.0",
      "civic.events.1",
      "civic.events.2",
    ]);
    expect(partitionSubject(topology, 2)).toBe("civic.events.2");
    expect(partitionOfSubject(topology, "civic.events.2")).toBe(2);
    expect(partitionOfSubject(topology, "civic.events.3")).toBeUndefined();
    expect(partitionOfSubject(topology, "other.events.1")).toBeUndefined();
    expect(consumerName(2)).toBe("civic-partition-2");
    expect(() => partitionSubject(topology, 3)).toThrow(/outside 0 to 2/);
  });

  it("refuses stream names that cannot make subjects, and partition counts out of range", () => {
    expect(streamNameProblem("CIVIC_TEST_1A")).toBeUndefined();
    for (const name of ["civic", "CIVIC__X", "CIVIC_", "_X", "CIVIC.EVENTS", "", "C".repeat(65)]) {
      expect(streamNameProblem(name)).toMatch(/stream name/);
    }
    expect(() => pipelineTopology("CIVIC_EVENTS", 0)).toThrow(/partition count/);
    expect(() => pipelineTopology("CIVIC_EVENTS", 257)).toThrow(/partition count/);
  });

  it("hashes a subject id to the same partition everywhere (FNV-1a, fixed values)", () => {
    // Fixed expectations: a change here would split subjects differently from running gateways.
    expect(partitionOf("", 1_000)).toBe(2_166_136_261 % 1_000);
    expect(partitionOf("a", 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(partitionOf("c-001", 8)).toBe(partitionOf("c-001", 8));
  });

  it("keeps every partition within range and spreads subjects over all of them", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 256 }),
        (id, count) => {
          const partition = partitionOf(id, count);
          return Number.isInteger(partition) && partition >= 0 && partition < count;
        },
      ),
    );
    const counts = new Array(8).fill(0);
    for (let index = 0; index < 8_000; index++) counts[partitionOf(`c-${index}`, 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it("reads partition lists and ranges, and writes them back", () => {
    expect(parsePartitions("all", 4)).toEqual([0, 1, 2, 3]);
    expect(parsePartitions("0-2, 5,7", 8)).toEqual([0, 1, 2, 5, 7]);
    expect(parsePartitions("3,1-2,3", 8)).toEqual([1, 2, 3]);
    expect(parsePartitions("8", 8)).toMatch(/partition 8 does not exist/);
    expect(parsePartitions("3-1", 8)).toMatch(/runs backwards/);
    expect(parsePartitions("x", 8)).toMatch(/neither a partition/);
    expect(parsePartitions("", 8)).toMatch(/neither a partition/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { minLength: 1 }), (chosen) => {
        const sorted = [...chosen].sort((a, b) => a - b);
        expect(parsePartitions(formatPartitions(sorted), 64)).toEqual(sorted);
      }),
    );
  });
});
