import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, programPath, serviceOrSkip, startPrivateServer } from "./services.js";

describe("serviceOrSkip", () => {
  const refused = () => Promise.reject(new Error("connect ECONNREFUSED"));

  it("is true when the probe succeeds", async () => {
    expect(await serviceOrSkip("NATS", "nats://127.0.0.1:4222", async () => "pong")).toBe(true);
  });

  it("skips with one line saying what and how to enable it", async () => {
    const lines: string[] = [];
    const reachable = await serviceOrSkip("MQTT broker", "mqtt://user:secret@host:1883", refused, {
      enable: "start Mosquitto or set CIVIC_TEST_MQTT_URL",
      ci: false,
      warn: (line) => lines.push(line),
    });
    expect(reachable).toBe(false);
    expect(lines).toEqual([
      "SKIPPED tests needing the MQTT broker: MQTT broker not reachable at mqtt://user:***@host:1883 (connect ECONNREFUSED): start Mosquitto or set CIVIC_TEST_MQTT_URL",
    ]);
  });

  it("fails under CI instead of skipping", async () => {
    await expect(
      serviceOrSkip("PostgreSQL", "postgres://db", refused, { ci: true }),
    ).rejects.toThrow(
      "PostgreSQL not reachable at postgres://db (connect ECONNREFUSED): under CI it must run",
    );
  });
});

describe("programPath", () => {
  it("takes the first folder on the search path that holds the program", () => {
    const folder = mkdtempSync(join(tmpdir(), "civic-program-path-"));
    try {
      writeFileSync(join(folder, "broker"), "");
      expect(programPath("broker", `/nowhere::${folder}:/usr/bin`)).toBe(join(folder, "broker"));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("falls back to where Debian puts a server", () => {
    expect(programPath("broker", "/nowhere")).toBe("/usr/sbin/broker");
  });
});

describe("startPrivateServer", () => {
  // A server of a few lines: Node listening on the port it is given.
  const listening = (port: number) => [
    "-e",
    `require("node:net").createServer().listen(${port}, "127.0.0.1")`,
  ];
  const accepts = (url: string) =>
    new Promise<void>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = connect(Number(port), hostname, () => {
        socket.end();
        resolve();
      });
      socket.once("error", reject);
    });

  it("starts, stops and starts again on the same port", async () => {
    const port = await freePort();
    const server = await startPrivateServer({
      program: "node",
      programArguments: listening(port),
      url: `tcp://127.0.0.1:${port}`,
      answers: accepts,
      answerAttemptsMax: 100,
    });
    try {
      await accepts(server.url);
      await server.stop();
      await expect(accepts(server.url)).rejects.toThrow("ECONNREFUSED");
      await server.start();
      await accepts(server.url);
    } finally {
      await server.stop();
    }
  });

  it("fails when the program exits before it answers", async () => {
    await expect(
      startPrivateServer({
        program: "node",
        programArguments: ["-e", "process.exit(3)"],
        url: "tcp://127.0.0.1:1",
        answers: () => Promise.reject(new Error("no answer")),
        // Enough tries (50 ms apart) for Node to start and exit on a busy machine.
        answerAttemptsMax: 400,
      }),
    ).rejects.toThrow("node exited with 3");
  });
});
