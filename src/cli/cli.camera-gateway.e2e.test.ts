import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraTopic } from "../camera/camera.topic.js";
import { civicBin, eventLine, runCivic, temporaryFolder } from "../test-support/ledger.js";
import {
  connectPublisher,
  mqttForTests,
  mqttTestUrl,
  removeSession,
  uniqueTestName,
} from "../test-support/mqtt.js";
import { exitCodes } from "./exit-codes.js";

// `civic camera-gateway` as the shell runs it: its help, its refusals of bad flags, and a run
// against the local Mosquitto that SIGTERM stops after committing the current batch.
const folder = temporaryFolder("camera-gateway");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runCivic(args, { data });
const url = mqttTestUrl();
const reachable = await mqttForTests(url);

beforeAll(async () => {
  expect((await civic("init")).status).toBe(0);
  const added = await civic("source", "add", "cam-7", "--kind", "camera", "--types", "traffic.*");
  expect(added.status).toBe(0);
  const subjects = join(folder.path, "subjects.ndjson");
  writeFileSync(subjects, '{"id":"c-001","region":"north"}\n');
  expect((await civic("enroll", subjects)).status).toBe(0);
});
afterAll(() => folder.remove());

describe("civic camera-gateway", () => {
  it("documents its flags, its guarantees, examples and exit codes", async () => {
    const help = await civic("camera-gateway", "--help");
    expect(help.status).toBe(exitCodes.ok);
    for (const flag of [
      "--mqtt <url>",
      "--client-id <id>",
      "--topic-prefix <levels>",
      "--batch-size <n>",
      "--batch-milliseconds <n>",
      "--message-bytes-max <n>",
      "--report-seconds <n>",
      "--metrics-port <n>",
      "--store <location>",
      "--data <dir>",
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain("cameras/<camera id>/infractions");
    expect(help.stdout).toMatch(/acknowledged only after its batch committed/);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toContain("Exit codes:");
  });

  it.each([
    [["--mqtt", "http://127.0.0.1:1883"], /--mqtt.*mqtt:\/\//],
    [["--mqtt", "not a url"], /--mqtt.*broker URL/],
    [["--mqtt", url, "--batch-size", "0"], /--batch-size.*1 to 10000/],
    [["--mqtt", url, "--batch-milliseconds", "soon"], /--batch-milliseconds/],
    [["--mqtt", url, "--message-bytes-max", "10"], /--message-bytes-max.*256/],
    [["--mqtt", url, "--topic-prefix", "north"], /--topic-prefix.*ending in \//],
    [["--mqtt", url, "--client-id", "two words"], /--client-id/],
    [[], /required option '--mqtt <url>'/],
  ])("refuses %j with one clear line and exit code 2", async (args, message) => {
    const run = await civic("camera-gateway", ...args);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^civic: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("needs an initialised data folder", async () => {
    const run = await runCivic(["camera-gateway", "--mqtt", url], {
      data: join(folder.path, "elsewhere"),
    });
    expect(run.status).toBe(exitCodes.notInitialised);
  });
});

describe.skipIf(!reachable)("civic camera-gateway on the local broker", () => {
  it("commits what it received, and on SIGTERM drains, prints the counters and exits 0", async () => {
    const topicPrefix = `${uniqueTestName("cli")}/`;
    const clientId = uniqueTestName("cli");
    const child = spawn(
      process.execPath,
      [
        civicBin,
        "camera-gateway",
        "--mqtt",
        url,
        "--topic-prefix",
        topicPrefix,
        "--client-id",
        clientId,
        "--batch-milliseconds",
        "60000",
        "--metrics-port",
        "0",
        "--data",
        data,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      await waitFor("the subscription", () => stdout.includes('"msg":"subscribed"'));
      const publisher = await connectPublisher(url);
      const topic = cameraTopic("cam-7", topicPrefix);
      const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
      const good = eventLine({ id: "cam7-1", confidence: 0.97, occurredAt });
      await publisher.publishAsync(topic, good, { qos: 1 });
      await publisher.publishAsync(topic, "{not json", { qos: 1 });
      await publisher.endAsync();
      const metricsUrl = /metrics at (http:\/\/\S+\/metrics)/.exec(stdout)?.[1] ?? "";
      await waitFor("2 received messages", async () =>
        /civic_camera_messages_received_total 2\b/.test(await (await fetch(metricsUrl)).text()),
      );
      // The batch would wait a minute: SIGTERM commits it now.
      child.kill("SIGTERM");
      expect(await exited).toBe(exitCodes.ok);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await removeSession(clientId, url).catch(() => undefined);
    }
    expect(stderr).toBe("");
    expect(stdout).toContain("civic: SIGTERM: committing the current batch\n");
    expect(stdout).toContain(
      "civic: stopped: received 2, accepted 1 (0 pending review), duplicate 0, refused 0, malformed 1\n",
    );
    const entries = await civic("entries", "c-001", "--json");
    expect(entries.stdout).toContain('"cam7-1"');
  });
});

async function waitFor(what: string, condition: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
