import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { verifyLedger } from "../ledger/verify.js";
import { natsForTests, natsTestUrl } from "../test-support/nats.js";
import {
  pipelineEvent,
  pipelineProcesses,
  subjectCount,
  waitUntil,
} from "../test-support/pipeline.js";

/**
 * `civic worker` killed with SIGKILL while it commits (dist must be built), then a worker
 * started again: the ledger ends with every event once, and its scores verify.
 */
const url = natsTestUrl();
const reachable = await natsForTests(url);
const eventCount = 8_000;
const types = ["traffic.red_light", "traffic.jaywalking", "traffic.drunk_driving"];

type Line = {
  committed?: { events: number; accepted: number; duplicate: number };
  summary?: { accepted: number; duplicate: number; events: number };
};

describe.skipIf(!reachable)("civic worker killed with SIGKILL mid-batch", () => {
  const processes = pipelineProcesses(url);

  function startWorkerProcess() {
    const started = processes.civic([
      "worker",
      "--partition-count",
      String(processes.pipeline().topology.partitionCount),
      "--batch-size",
      "400",
      // Redelivery after the kill within seconds; not shorter, or on a loaded machine the
      // server would deliver committed events again before their ack arrived.
      "--ack-wait-seconds",
      "4",
      "--json",
    ]);
    /** The JSON lines; a line cut by the kill was never reported. */
    const parsed = (): Line[] =>
      started.lines.flatMap((text) => {
        try {
          return [JSON.parse(text) as Line];
        } catch {
          return [];
        }
      });
    return { ...started, parsed };
  }

  it("loses nothing and counts nothing twice; civic verify passes", {
    timeout: 180_000,
  }, async () => {
    const pipeline = processes.pipeline();
    // Killed at a moment drawn after its first commit: with eight partitions committing in
    // turn, most moments fall inside a batch (taken, committing, or committed and not yet
    // acknowledged). On a loaded machine the first commit's line can reach this process after
    // the worker has committed everything: then the run proves nothing, and a new set of events
    // is sent and the kill comes sooner, up to three times.
    let posted = 0;
    let entriesAfterCrash = 0;
    for (let attempt = 0; attempt < 3 && entriesAfterCrash === posted; attempt++) {
      const events = Array.from({ length: eventCount }, (_, index) =>
        pipelineEvent(`e-${attempt}-${index}`, index % subjectCount, {
          type: types[index % types.length],
        }),
      );
      for (let start = 0; start < eventCount; start += 2_000) {
        const response = await pipeline.post(events.slice(start, start + 2_000));
        expect(response.json().counts.queued).toBe(2_000);
      }
      posted += eventCount;

      const crashed = startWorkerProcess();
      await waitUntil(
        "a first commit",
        () => crashed.parsed().some((line) => line.committed),
        60_000,
      );
      const delayMilliseconds = Math.floor(Math.random() * (400 >> (2 * attempt)));
      console.log(`worker crash: killed ${delayMilliseconds} ms after the first commit`);
      await new Promise((resolve) => setTimeout(resolve, delayMilliseconds));
      crashed.child.kill("SIGKILL");
      expect(await crashed.exited).toBe(137);
      entriesAfterCrash = (await pipeline.store.counts()).entries;
      expect(entriesAfterCrash).toBeGreaterThan(0);
    }
    expect(entriesAfterCrash).toBeLessThan(posted);

    const restarted = startWorkerProcess();
    await pipeline.waitForEntries(posted, 120_000);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
    const summary = restarted.parsed().find((line) => line.summary)?.summary;
    // What the crashed worker committed and never acknowledged came back as duplicates.
    expect(summary?.accepted).toBe(posted - entriesAfterCrash);
    console.log(
      `worker crash: ${entriesAfterCrash} entries before the kill; the restarted worker saw ${summary?.duplicate} of them again as duplicates`,
    );

    expect((await pipeline.store.counts()).entries).toBe(posted);
    const report = await verifyLedger(pipeline.store);
    expect(report.differenceCount).toBe(0);
    expect(report.entries).toBe(posted);
    const connection = await connect({ servers: url });
    try {
      const stream = await (await jetstreamManager(connection)).streams.info(
        pipeline.topology.stream,
      );
      expect(stream.state.messages).toBe(0);
    } finally {
      await connection.close();
    }
  });
});
