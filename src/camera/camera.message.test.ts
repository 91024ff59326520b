import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEvent } from "../ingest/ingest.service.js";
import { eventLine } from "../test-support/ledger.js";
import { decodeCameraPayload } from "./camera.message.js";
import { cameraOfTopic, cameraTopic, cameraTopicFilter, isTopicPrefix } from "./camera.topic.js";

const encode = (text: string) => Buffer.from(text, "utf8");
const report = (overrides: Record<string, unknown> = {}) =>
  eventLine({ confidence: 0.95, ...overrides });

describe("decodeCameraPayload", () => {
  it("decodes an event as the HTTP API and NDJSON ingestion do", () => {
    const decoded = decodeCameraPayload(encode(report({ id: "cam7-1" })));
    expect(decoded).toMatchObject({
      event: { id: "cam7-1", subject: "c-001", type: "traffic.red_light", confidence: 0.95 },
      payloadHash: expect.any(String),
    });
    expect(decoded).toEqual(decodeEvent(JSON.parse(report({ id: "cam7-1" }))));
  });

  it("answers any JSON value exactly as the shared validator does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(decodeCameraPayload(encode(JSON.stringify(value)), 1 << 20)).toEqual(
          decodeEvent(value),
        );
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["not JSON", "{not json", "malformed_json", /not valid JSON/],
    ["an empty message", "", "malformed_json", /not valid JSON/],
    ["a JSON array", "[]", "invalid_field", /expected object/],
    ["a missing field", report({ evidence: undefined }), "invalid_field", /^evidence/],
    ["an unknown field", report({ camera: "cam-7" }), "invalid_field", /camera/],
    ["a confidence above 1", report({ confidence: 1.5 }), "invalid_field", /^confidence/],
    [
      "a location trace",
      report({ attributes: { gps_lat: 52.1 } }),
      "invalid_field",
      /data minimisation/,
    ],
  ])("refuses %s", (_, text, kind, message) => {
    const decoded = decodeCameraPayload(encode(text));
    expect(decoded).toMatchObject({ kind });
    expect((decoded as { message: string }).message).toMatch(message);
  });

  it("refuses bytes that are not UTF-8", () => {
    expect(decodeCameraPayload(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      kind: "malformed_json",
      message: "message is not valid UTF-8",
    });
  });

  it("refuses a message above the limit before reading it, and takes one at the limit", () => {
    const text = report();
    expect(decodeCameraPayload(encode(text), text.length)).toHaveProperty("event");
    expect(decodeCameraPayload(encode(text), text.length - 1)).toEqual({
      kind: "too_large",
      message: `message is ${text.length} bytes; an event may be at most ${text.length - 1}`,
    });
  });

  it("never quotes the payload in a refusal (it may hold a subject id)", () => {
    const decoded = decodeCameraPayload(encode('{"subject":"c-secret-42",'));
    expect(JSON.stringify(decoded)).not.toContain("c-secret-42");
  });
});

describe("camera topics", () => {
  it("names the camera of cameras/<camera id>/infractions", () => {
    expect(cameraTopicFilter()).toBe("cameras/+/infractions");
    expect(cameraTopic("cam-7")).toBe("cameras/cam-7/infractions");
    expect(cameraOfTopic("cameras/cam-7/infractions")).toEqual({ ok: true, cameraId: "cam-7" });
    expect(cameraOfTopic("north/cameras/cam-7/infractions", "north/")).toEqual({
      ok: true,
      cameraId: "cam-7",
    });
  });

  it.each([
    ["another topic", "cameras/cam-7/status"],
    ["no camera id", "cameras//infractions"],
    ["an id with spaces", "cameras/cam 7/infractions"],
    ["an id that is too long", `cameras/${"c".repeat(65)}/infractions`],
    ["a missing prefix", "cameras/cam-7/infractions", "north/"],
  ])("names no camera for %s", (_, topic, prefix = "") => {
    expect(cameraOfTopic(topic, prefix)).toMatchObject({ ok: false });
  });

  it("cuts a long topic in its message", () => {
    const topic = `cameras/${"x".repeat(5_000)}/infractions`;
    const found = cameraOfTopic(topic);
    expect(!found.ok && found.message.length).toBeLessThan(400);
  });

  it("takes a prefix of plain levels ending in /", () => {
    expect(["", "north/", "a/b/"].every(isTopicPrefix)).toBe(true);
    expect(["north", "+/", "#/", "a//"].some(isTopicPrefix)).toBe(false);
    expect(() => cameraTopicFilter("north")).toThrow(/prefix/);
  });
});
