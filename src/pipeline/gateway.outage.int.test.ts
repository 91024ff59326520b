import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../test-support/ledger.js";
import {
  natsForTests,
  natsTestUrl,
  type PrivateNats,
  startPrivateNats,
  testTopology,
} from "../test-support/nats.js";
import { openPipeline, type Pipeline, pipelineEvent, waitUntil } from "../test-support/pipeline.js";
import { retryAfterSeconds } from "./gateway.routes.js";

// The tests stop and start a nats-server of their own; the shared one tells whether NATS is
// installed and running here at all.
const reachable = await natsForTests(natsTestUrl());

describe.skipIf(!reachable)("civic gateway while NATS is down", () => {
  const folder = temporaryFolder("nats");
  let nats: PrivateNats;
  let pipeline: Pipeline;
  beforeAll(async () => {
    nats = await startPrivateNats(folder.path);
    pipeline = await openPipeline({ url: nats.url, topology: testTopology() });
  });
  afterAll(async () => {
    await pipeline?.close();
    await nats?.stop();
    folder.remove();
  });

  const batch = () => [pipelineEvent(`e-${randomBytes(4).toString("hex")}`, 1)];

  it("refuses events with 503 problem+json while NATS is unreachable, and takes them again once it is back", async () => {
    const readiness = () => pipeline.gateway.inject({ method: "GET", url: "/readyz" });
    expect((await pipeline.post(batch())).statusCode).toBe(200);
    expect((await readiness()).statusCode).toBe(200);

    await nats.stop();
    await waitUntil("the gateway noticed", () => pipeline.gatewayLink.state() !== "connected");
    const notReady = await readiness();
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ code: "not_ready" });
    expect(notReady.json().detail).toBe(`NATS at ${nats.url} is reconnecting`);
    const refused = await pipeline.post(batch());
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(refused.headers["retry-after"]).toBe(String(retryAfterSeconds));
    expect(refused.json()).toMatchObject({
      status: 503,
      code: "not_ready",
      queuedBeforeFailure: 0,
    });
    expect(refused.json().detail).toMatch(
      new RegExp(`event stream ${pipeline.topology.stream} at ${nats.url} cannot take events`),
    );
    // A batch with nothing to store is answered all the same: its refusals are final.
    const invalid = await pipeline.post([{ id: "x" }]);
    expect(invalid.statusCode).toBe(200);
    expect(invalid.json().outcomes[0].outcome).toBe("invalid_field");

    await nats.start();
    await pipeline.gatewayLink.connected();
    expect((await readiness()).statusCode).toBe(200);
    const accepted = await pipeline.post(batch());
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().outcomes[0]).toMatchObject({ outcome: "queued", sequence: 2 });
  });

  it("refuses at once when NATS has never been reachable", async () => {
    const closed = await openPipeline({
      url: "nats://127.0.0.1:1",
      topology: testTopology(),
      connected: false,
    });
    try {
      const started = Date.now();
      const refused = await closed.post(batch());
      expect(refused.statusCode).toBe(503);
      expect(refused.json().detail).toMatch(/NATS is connecting/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await closed.close();
    }
  });
});
