import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { days, formatInstant } from "../core/time.js";
import { deleteTestStream, natsForTests, natsTestUrl, testTopology } from "../test-support/nats.js";
import { openPipeline, type Pipeline, pipelineEvent } from "../test-support/pipeline.js";
import { decodeEventMessage } from "./event.message.js";
import { ensureEventStream, TopologyMismatchError } from "./event.stream.js";
import { partitionOf, pipelineTopology } from "./pipeline.topology.js";

const url = natsTestUrl();
const reachable = await natsForTests(url);

describe.skipIf(!reachable)("civic gateway: POST /v1/events into JetStream", () => {
  let pipeline: Pipeline;
  beforeEach(async () => {
    pipeline = await openPipeline({ url, topology: testTopology() });
    await pipeline.gatewayLink.connected();
  });
  afterEach(() => pipeline.close());

  async function storedMessage(sequence: number) {
    const connection = await connect({ servers: url });
    try {
      const manager = await jetstreamManager(connection);
      const message = await manager.streams.getMessage(pipeline.topology.stream, { seq: sequence });
      return message
        ? { subject: message.subject, decoded: decodeEventMessage(message.data) }
        : undefined;
    } finally {
      await connection.close();
    }
  }

  it("answers queued only once JetStream stored the event, in its subject's partition", async () => {
    const events = [pipelineEvent("e-1", 1), pipelineEvent("e-2", 2), pipelineEvent("e-3", 1)];
    const response = await pipeline.post(events);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.counts).toEqual({
      queued: 3,
      invalid_field: 0,
      occurred_in_future: 0,
      unknown_event_type: 0,
      source_not_authorised_for_type: 0,
    });
    // No worker runs: what the answer names is in the stream, where it says.
    for (const [index, outcome] of body.outcomes.entries()) {
      const event = events[index] as (typeof events)[number];
      expect(outcome.outcome).toBe("queued");
      expect(outcome.partition).toBe(partitionOf(event.subject, pipeline.topology.partitionCount));
      const stored = await storedMessage(outcome.sequence);
      expect(stored?.subject).toBe(`${pipeline.topology.subjectPrefix}.${outcome.partition}`);
      expect(stored?.decoded).toMatchObject({ kind: "events", source: "police" });
      const ids =
        stored?.decoded.kind === "events" ? stored.decoded.events.map((e) => e.eventId) : [];
      expect(ids).toContain(event.id);
    }
    // The same subject always goes to the same partition, in one message per request.
    expect(body.outcomes[0].partition).toBe(body.outcomes[2].partition);
    expect(body.outcomes[0].sequence).toBe(body.outcomes[2].sequence);
    expect((await pipeline.store.counts()).entries).toBe(0);
  });

  it("refuses what it can decide at once, as the API would, and queues only the rest", async () => {
    const response = await pipeline.post([
      pipelineEvent("ok", 1),
      pipelineEvent("bad", 1, { evidence: undefined }),
      pipelineEvent("future", 1, { occurredAt: formatInstant(Date.now() + days(1)) }),
      pipelineEvent("type", 1, { type: "traffic.speeding" }),
      pipelineEvent("auth", 1, { type: "public.littering" }),
      "not an event",
      // Only the ledger knows who is enrolled: this one is queued, and refused by the worker.
      pipelineEvent("who", 1, { subject: "c-404" }),
    ]);
    expect(response.statusCode).toBe(200);
    const outcomes = response.json().outcomes;
    expect(outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toEqual([
      "queued",
      "invalid_field",
      "occurred_in_future",
      "unknown_event_type",
      "source_not_authorised_for_type",
      "invalid_field",
      "queued",
    ]);
    expect(outcomes[1].message).toMatch(/evidence/);
    expect(outcomes[4].message).toMatch(/may report traffic\.\*/);
  });

  it("stores a report resent within the duplicate window once", async () => {
    const event = pipelineEvent("e-1", 3);
    const first = (await pipeline.post([event])).json().outcomes[0];
    const again = (await pipeline.post([event])).json().outcomes[0];
    expect(again).toEqual(first);
    // A different report under the same id is stored: the ledger refuses it, not the stream.
    const changed = (
      await pipeline.post([{ ...event, evidence: { description: "other" } }])
    ).json();
    expect(changed.outcomes[0].sequence).toBeGreaterThan(first.sequence);
  });

  it("refuses without a source key, and with a batch too large, before touching the stream", async () => {
    const anonymous = await pipeline.gateway.inject({
      method: "POST",
      url: "/v1/events",
      payload: { events: [pipelineEvent("e-1", 1)] },
    });
    expect(anonymous.statusCode).toBe(401);
    const tooMany = Array.from({ length: 10_001 }, (_, index) => pipelineEvent(`e-${index}`, 1));
    const large = await pipeline.post(tooMany);
    expect(large.statusCode).toBe(400);
    expect(large.headers["content-type"]).toMatch(/application\/problem\+json/);
  });

  it("documents its outcomes in the OpenAPI document", async () => {
    const document = (await pipeline.gateway.inject({ url: "/docs/json" })).json();
    const route = document.paths["/v1/events"].post;
    expect(route.description).toMatch(/queued/);
    expect(Object.keys(route.responses)).toContain("503");
  });
});

describe.skipIf(!reachable)("the event stream", () => {
  it("refuses to run with another partition count than the stream has", async () => {
    const topology = testTopology(4);
    const connection = await connect({ servers: url });
    try {
      const manager = await jetstreamManager(connection);
      await ensureEventStream(manager, topology);
      await ensureEventStream(manager, topology);
      await expect(
        ensureEventStream(manager, pipelineTopology(topology.stream, 8)),
      ).rejects.toThrow(TopologyMismatchError);
    } finally {
      await connection.close();
      await deleteTestStream(topology.stream, url);
    }
  });
});
