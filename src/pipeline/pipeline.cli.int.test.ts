import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodes } from "../cli/exit-codes.js";
import { runMain } from "../test-support/cli.js";
import { openTestLedger, type TestLedger, temporaryFolder } from "../test-support/ledger.js";
import { deleteTestStream, natsForTests, natsTestUrl, testTopology } from "../test-support/nats.js";
import { ensureEventStream } from "./event.stream.js";

const url = natsTestUrl();
const reachable = await natsForTests(url);

describe("civic gateway and civic worker on the command line", () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await openTestLedger({ at: Date.now() });
  });
  afterAll(() => ledger.close());

  it.each([["gateway"], ["worker"]])(
    "documents civic %s with examples and exit codes",
    async (name) => {
      const help = await runMain([name, "--help"]);
      expect(help.status).toBe(exitCodes.ok);
      for (const text of [
        "Examples:",
        "Exit codes:",
        "--data <dir>",
        "--nats <url>",
        "--stream <name>",
      ]) {
        expect(help.stdout).toContain(text);
      }
      expect((await runMain(["--help"])).stdout).toContain(`  ${name}`);
    },
  );

  it.each([
    [["worker", "--partitions", "8"], /partition 8 does not exist/],
    [["worker", "--partitions", "3-1"], /runs backwards/],
    [["worker", "--stream", "civic.events"], /stream name/],
    [["worker", "--batch-size", "10001"], /--batch-size/],
    [["gateway", "--partition-count", "0"], /--partition-count/],
    [["gateway", "--nats", "http://x"], /--nats/],
  ])("refuses %j with exit code 2", async (args, message) => {
    const run = await runMain([...args, "--data", ledger.directory]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
  });

  it("refuses a data folder that is not initialised with exit code 4", async () => {
    const folder = temporaryFolder("empty");
    try {
      const run = await runMain(["worker", "--data", folder.path, "--nats", "nats://127.0.0.1:1"]);
      expect(run.status).toBe(exitCodes.notInitialised);
      expect(run.stderr).toMatch(/civic init/);
    } finally {
      folder.remove();
    }
  });

  it.skipIf(!reachable)(
    "refuses to start on a stream with another partition count, saying which",
    async () => {
      const topology = testTopology(4);
      const connection = await connect({ servers: url });
      try {
        await ensureEventStream(await jetstreamManager(connection), topology);
        const common = ["--data", ledger.directory, "--nats", url, "--stream", topology.stream];
        for (const command of ["gateway", "worker"]) {
          const port = command === "gateway" ? ["--port", "0"] : [];
          const run = await runMain([command, ...common, ...port, "--partition-count", "8"]);
          expect(run.status, command).toBe(exitCodes.usage);
          expect(run.stderr).toMatch(/has the subjects .* not the 8 partitions/);
        }
      } finally {
        await connection.close();
        await deleteTestStream(topology.stream, url);
      }
    },
  );
});
