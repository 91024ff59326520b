import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyLedger } from "../ledger/verify.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import { natsForTests, natsTestUrl, testTopology } from "../test-support/nats.js";
import {
  openPipeline,
  type Pipeline,
  pipelineEvent,
  subjectCount,
  waitUntil,
} from "../test-support/pipeline.js";
import { encodeEventMessage } from "./event.message.js";
import { consumerName, partitionSubject } from "./pipeline.topology.js";
import type { BatchReport, EventRefusal } from "./worker.js";

const url = natsTestUrl();
const reachable = await natsForTests(url);

/** `count` valid events over every subject, ids `prefix-0` ... */
function events(count: number, prefix = "e") {
  return Array.from({ length: count }, (_, index) =>
    pipelineEvent(`${prefix}-${index}`, index % subjectCount),
  );
}

describe.skipIf(!reachable)("civic worker: JetStream to the ledger", () => {
  let pipeline: Pipeline;
  beforeEach(async () => {
    pipeline = await openPipeline({ url, topology: testTopology() });
  });
  afterEach(() => pipeline.close());

  async function streamState() {
    const connection = await connect({ servers: url });
    try {
      const manager = await jetstreamManager(connection);
      const stream = await manager.streams.info(pipeline.topology.stream);
      const consumers = await Promise.all(
        Array.from({ length: pipeline.topology.partitionCount }, (_, partition) =>
          manager.consumers.info(pipeline.topology.stream, consumerName(partition)),
        ),
      );
      return {
        messages: stream.state.messages,
        ackPending: consumers.reduce((sum, consumer) => sum + consumer.num_ack_pending, 0),
      };
    } finally {
      await connection.close();
    }
  }

  it("commits every queued event, then acknowledges it, and tells the refusals", async () => {
    const refusals: EventRefusal[] = [];
    const { worker } = await pipeline.startWorker({
      onRefusal: (refusal) => refusals.push(refusal),
    });
    const response = await pipeline.post([
      ...events(300),
      pipelineEvent("who", 1, { subject: "c-404" }),
    ]);
    expect(response.json().counts.queued).toBe(301);
    await pipeline.waitForEntries(300);
    await waitUntil("every event acknowledged", async () => {
      const state = await streamState();
      return state.messages === 0 && state.ackPending === 0;
    });
    expect(worker.totals().counts.accepted).toBe(300);
    expect(refusals).toEqual([
      expect.objectContaining({ source: "police", eventId: "who", outcome: "unknown_subject" }),
    ]);
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });

  it("answers an event delivered again as a duplicate: counted once", async () => {
    const { worker } = await pipeline.startWorker();
    const reports = events(50);
    await pipeline.post(reports);
    await pipeline.waitForEntries(50);
    // The same reports again, outside the stream's duplicate detection (another message id):
    // as a redelivery after a lost acknowledgement looks to the worker.
    const connection = await connect({ servers: url });
    try {
      const client = jetstream(connection);
      for (const event of reports) {
        await client.publish(
          partitionSubject(pipeline.topology, 0),
          encodeEventMessage({ source: "police", events: [event] }),
        );
      }
    } finally {
      await connection.close();
    }
    await waitUntil("the copies decided", () => worker.totals().counts.duplicate === 50);
    expect((await pipeline.store.counts()).entries).toBe(50);
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });

  it("loses nothing and counts nothing twice when a worker dies between commit and ack", async () => {
    expect((await pipeline.post(events(400))).json().counts.queued).toBe(400);
    let firstCommit: BatchReport | undefined;
    // The first worker commits one batch, then loses its connection before acknowledging.
    const first = await pipeline.startWorker({
      partitions: [0, 1, 2, 3, 4, 5, 6, 7],
      batchSize: 100,
      ackWaitMilliseconds: 3_000,
      onCommitted: async (report) => {
        if (firstCommit) return;
        firstCommit = report;
        await first.link.close();
      },
    });
    await first.worker.finished;
    expect(firstCommit?.counts.accepted).toBeGreaterThan(0);
    const committedBefore = (await pipeline.store.counts()).entries;
    expect(committedBefore).toBeGreaterThanOrEqual(firstCommit?.counts.accepted ?? 0);
    // The next worker gets the unacknowledged batch again once its ack wait has passed.
    const second = await pipeline.startWorker({ ackWaitMilliseconds: 3_000 });
    await pipeline.waitForEntries(400);
    await waitUntil("the committed batch delivered again", () => {
      return second.worker.totals().counts.duplicate >= (firstCommit?.counts.accepted ?? 1);
    });
    expect((await pipeline.store.counts()).entries).toBe(400);
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });

  it("shares the partitions between two workers, each committing its own", async () => {
    // Two processes would open the ledger each: two connections to the same database.
    const otherStore = openSqliteStore({ path: sqliteDatabasePath(pipeline.dataDirectory) });
    try {
      const low = await pipeline.startWorker({ partitions: [0, 1, 2, 3] });
      const high = await pipeline.startWorker({ partitions: [4, 5, 6, 7], store: otherStore });
      await pipeline.post(events(1_000));
      await pipeline.waitForEntries(1_000);
      // A worker counts a batch just after its commit, which the ledger shows first.
      const accepted = () =>
        low.worker.totals().counts.accepted + high.worker.totals().counts.accepted;
      await waitUntil("both workers counted their batches", () => accepted() === 1_000);
      expect(low.worker.totals().counts.accepted).toBeGreaterThan(0);
      expect(high.worker.totals().counts.accepted).toBeGreaterThan(0);
      await high.worker.stop();
    } finally {
      await otherStore.close();
    }
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });

  it("lets two workers on the same partitions share them without counting twice", async () => {
    const one = await pipeline.startWorker({ batchSize: 50 });
    const two = await pipeline.startWorker({ batchSize: 50 });
    await pipeline.post(events(1_000));
    await pipeline.waitForEntries(1_000);
    const accepted = () =>
      one.worker.totals().counts.accepted + two.worker.totals().counts.accepted;
    await waitUntil("both workers counted their batches", () => accepted() === 1_000);
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });

  it("terminates a message it can never read, and goes on with the next", async () => {
    const problems: string[] = [];
    const { worker } = await pipeline.startWorker({ onProblem: (line) => problems.push(line) });
    const connection = await connect({ servers: url });
    try {
      await jetstream(connection).publish(partitionSubject(pipeline.topology, 0), "not json");
    } finally {
      await connection.close();
    }
    await pipeline.post(events(10));
    await pipeline.waitForEntries(10);
    await waitUntil("the unreadable message terminated", () => worker.totals().unreadable === 1);
    expect(problems.join("\n")).toMatch(/message \d+ cannot be read/);
    // Terminated: removed from the work queue, never delivered again.
    await waitUntil("the stream emptied", async () => {
      const state = await streamState();
      return state.messages === 0 && state.ackPending === 0;
    });
  });
});
