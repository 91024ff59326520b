import { describe, expect, it } from "vitest";
import { verifyLedger } from "../ledger/verify.js";
import { natsForTests, natsTestUrl } from "../test-support/nats.js";
import { pipelineEvent, pipelineProcesses, waitUntil } from "../test-support/pipeline.js";

/** `civic gateway` and `civic worker` as processes (dist must be built), over HTTP. */
const url = natsTestUrl();
const reachable = await natsForTests(url);

describe.skipIf(!reachable)("civic gateway and civic worker, end to end", () => {
  const processes = pipelineProcesses(url);
  const civic = processes.civic;

  it("takes events over HTTP into the stream, commits them, and stops cleanly", async () => {
    const pipeline = processes.pipeline();
    const gateway = civic(["gateway", "--port", "0", "--log-level", "warn"]);
    const worker = civic(["worker"]);
    let address = "";
    await waitUntil("the gateway listening", () => {
      const line = gateway.lines.find((text) => text.includes("gateway at http://"));
      address = /gateway at (http:\/\/[^ ]+)/.exec(line ?? "")?.[1] ?? "";
      return address !== "";
    });
    const events = Array.from({ length: 500 }, (_, index) =>
      pipelineEvent(`e-${index}`, index % 50),
    );
    const response = await fetch(`${address}/v1/events`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${pipeline.sourceKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ events: [...events, pipelineEvent("who", 1, { subject: "c-404" })] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { counts: { queued: number } }).counts.queued).toBe(501);
    await pipeline.waitForEntries(500);
    await waitUntil("the refusal told", () =>
      worker.lines.some((line) =>
        /refused event 'who' of source 'police' .*: unknown_subject/.test(line),
      ),
    );
    gateway.child.kill("SIGTERM");
    worker.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(worker.lines.join("\n")).toMatch(
      /stopped: 501 events committed .* 500 accepted, 0 duplicate, 1 refused/,
    );
    expect((await verifyLedger(pipeline.store)).differenceCount).toBe(0);
  });
});
