import { describe, expect, it } from "vitest";
import type { BatchItem } from "../core/batch.js";
import type { Outcome } from "../core/outcome.js";
import type { SourceProfile } from "../core/source.js";
import type { LedgerStore } from "../store/store.js";
import { type DecodedEvent, decodeEvent, ingestDecoded } from "./ingest.service.js";

const source: SourceProfile = { id: 1, name: "police", kind: "agency", allowedTypes: ["*"] };
const at = Date.parse("2026-06-01T00:00:00Z");

/** A well-formed event at `position`, or a malformed one where `bad` says so. */
function decoded(position: number, bad = false): DecodedEvent {
  const input = bad
    ? { id: `e${position}` }
    : {
        id: `e${position}`,
        subject: "c-001",
        type: "traffic.red_light",
        occurredAt: "2026-05-01T00:00:00Z",
        evidence: { description: "report" },
      };
  return { position, decoded: decodeEvent(input) };
}

type Call = Readonly<{ ids: string[]; settle: (outcomes: Outcome[] | Error) => void }>;

/**
 * A store whose commits finish only when the test says so: the test sees which batches are in
 * flight while the input is still being read.
 */
function controlledStore() {
  const calls: Call[] = [];
  let inFlight = 0;
  let inFlightMax = 0;
  const store = {
    ingestBatch(_source: SourceProfile, items: readonly BatchItem[]): Promise<Outcome[]> {
      inFlight++;
      inFlightMax = Math.max(inFlightMax, inFlight);
      return new Promise((resolve, reject) => {
        calls.push({
          ids: items.map((item) => item.event.id),
          settle: (answer) => {
            inFlight--;
            if (answer instanceof Error) reject(answer);
            else resolve(answer);
          },
        });
      });
    },
  } as unknown as LedgerStore;
  const accepted = (count: number): Outcome[] =>
    Array.from(
      { length: count },
      (_, index) => ({ kind: "accepted", entryId: index + 1 }) as Outcome,
    );
  return { store, calls, accepted, inFlightMax: () => inFlightMax };
}

/** An input the test feeds one event at a time, recording how far it was read. */
function feed(events: readonly DecodedEvent[]) {
  let read = 0;
  async function* input(): AsyncGenerator<DecodedEvent> {
    for (const event of events) {
      read++;
      yield event;
      await Promise.resolve();
    }
  }
  return { input: input(), read: () => read };
}

const until = async (condition: () => boolean) => {
  for (let turn = 0; turn < 1_000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
};

describe("ingestDecoded", () => {
  it("reads the next batch while one commits, with one commit in flight at a time", async () => {
    const fake = controlledStore();
    const events = Array.from({ length: 7 }, (_, index) => decoded(index + 1, index === 4));
    const input = feed(events);
    const reports: Array<{ lastPosition: number; accepted: number }> = [];
    const outcomes: Array<[number, string]> = [];
    const done = ingestDecoded(input.input, {
      store: fake.store,
      source,
      clock: () => at,
      batchSize: 2,
      onOutcome: (position, outcome) => outcomes.push([position, outcome.kind]),
      onBatch: ({ lastPosition, batch }) =>
        reports.push({ lastPosition, accepted: batch.accepted }),
    });

    await until(() => fake.calls.length === 1);
    expect(fake.calls[0]?.ids).toEqual(["e1", "e2"]);
    // The second batch (e3, e4) is read while the first commits, but not sent before it ends.
    await until(() => input.read() >= 4);
    expect(fake.calls).toHaveLength(1);
    fake.calls[0]?.settle(fake.accepted(2));

    await until(() => fake.calls.length === 2);
    expect(fake.calls[1]?.ids).toEqual(["e3", "e4"]);
    fake.calls[1]?.settle(fake.accepted(2));
    // e5 is malformed: the third batch is e6 and e7, and e5's refusal is reported with it.
    await until(() => fake.calls.length === 3);
    expect(fake.calls[2]?.ids).toEqual(["e6", "e7"]);
    expect(outcomes.map(([position]) => position)).toEqual([1, 2, 3, 4, 5]);
    fake.calls[2]?.settle(fake.accepted(2));

    const result = await done;
    expect(fake.inFlightMax()).toBe(1);
    expect(result).toMatchObject({ lastPosition: 7, counts: { accepted: 6, invalid_field: 1 } });
    expect(outcomes).toEqual([
      [1, "accepted"],
      [2, "accepted"],
      [3, "accepted"],
      [4, "accepted"],
      [5, "invalid_field"],
      [6, "accepted"],
      [7, "accepted"],
    ]);
    // Each report covers every position up to its lastPosition, and none after it.
    expect(reports).toEqual([
      { lastPosition: 2, accepted: 2 },
      { lastPosition: 4, accepted: 2 },
      { lastPosition: 7, accepted: 2 },
    ]);
  });

  it("fails with the store's error, not an unhandled rejection, when a commit in flight fails", async () => {
    const fake = controlledStore();
    const input = feed(Array.from({ length: 6 }, (_, index) => decoded(index + 1)));
    const reports: number[] = [];
    const done = ingestDecoded(input.input, {
      store: fake.store,
      source,
      clock: () => at,
      batchSize: 2,
      onBatch: ({ lastPosition }) => reports.push(lastPosition),
    });
    await until(() => fake.calls.length === 1);
    // Fails while the next batch is being read: nothing awaits it yet.
    fake.calls[0]?.settle(new Error("connection reset"));
    await expect(done).rejects.toThrow("connection reset");
    expect(fake.calls).toHaveLength(1);
    expect(reports).toEqual([]);
  });

  it("waits for the commit in flight when the input fails, then reports the input's failure", async () => {
    const fake = controlledStore();
    let committed = false;
    async function* failing(): AsyncGenerator<DecodedEvent> {
      yield decoded(1);
      yield decoded(2);
      await until(() => fake.calls.length === 1);
      throw new Error("the file could not be read");
    }
    const done = ingestDecoded(failing(), {
      store: fake.store,
      source,
      clock: () => at,
      batchSize: 2,
      onBatch: () => {
        committed = true;
      },
    });
    await until(() => fake.calls.length === 1);
    setImmediate(() => fake.calls[0]?.settle(fake.accepted(2)));
    await expect(done).rejects.toThrow("the file could not be read");
    expect(committed).toBe(true);
  });
});
