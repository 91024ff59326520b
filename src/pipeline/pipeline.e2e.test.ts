import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedger } from "../ledger/verify.js";
import { civicBin } from "../test-support/ledger.js";
import { natsForTests, natsTestUrl, testTopology } from "../test-support/nats.js";
import { openPipeline, type Pipeline, pipelineEvent, waitUntil } from "../test-support/pipeline.js";

/** `civic gateway` and `civic worker` as processes (dist must be built), over HTTP. */
const url = natsTestUrl();
const reachable = await natsForTests(url);

type Started = { child: ChildProcess; lines: string[]; exited: Promise<number | null> };

describe.skipIf(!reachable)("civic gateway and civic worker, end to end", () => {
  let pipeline: Pipeline;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    pipeline = await openPipeline({ url, topology: testTopology() });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await pipeline?.close();
  });

  function civic(args: readonly string[]): Started {
    const child = spawn(
      process.execPath,
      [
        civicBin,
        ...args,
        ...["--data", pipeline.dataDirectory, "--nats", url],
        ...["--stream", pipeline.topology.stream],
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
    });
    return { child, lines, exited: new Promise((resolve) => child.once("exit", resolve)) };
  }

  it("takes events over HTTP into the stream, commits them, and stops cleanly", async () => {
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
