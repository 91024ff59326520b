import { describe, expect, it } from "vitest";
import { serviceOrSkip } from "./services.js";

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
