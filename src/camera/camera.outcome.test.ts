import { describe, expect, it } from "vitest";
import { formatCameraCounts } from "./camera.counters.js";
import { LogBudget } from "./camera.log.js";
import { redactMqttUrl } from "./camera.mqtt.js";
import {
  type CameraOutcomeKind,
  cameraOutcomeKinds,
  cameraResultOf,
  loggableMessage,
  pubackReasonCode,
} from "./camera.outcome.js";

describe("camera outcomes", () => {
  it.each<[CameraOutcomeKind, string, number]>([
    ["accepted", "accepted", 0x00],
    ["duplicate", "duplicate", 0x00],
    ["malformed_json", "malformed", 0x99],
    ["invalid_field", "malformed", 0x99],
    ["too_large", "malformed", 0x99],
    ["unknown_camera", "refused", 0x87],
    ["source_not_authorised_for_type", "refused", 0x87],
    ["unknown_subject", "refused", 0x83],
    ["unknown_event_type", "refused", 0x83],
    ["id_reused_with_different_payload", "refused", 0x83],
    ["occurred_in_future", "refused", 0x83],
  ])("%s is %s, acknowledged with reason code %i", (kind, result, code) => {
    expect(cameraResultOf(kind)).toBe(result);
    expect(pubackReasonCode(kind)).toBe(code);
  });

  it("covers every outcome", () => {
    expect(cameraOutcomeKinds).toHaveLength(11);
  });

  it("logs no subject id", () => {
    const outcome = { kind: "unknown_subject", message: "no enrolled subject 'c-042'" } as const;
    expect(loggableMessage(outcome)).not.toContain("c-042");
    expect(loggableMessage({ kind: "duplicate", entryId: 3 })).toBeUndefined();
  });

  it("prints the counters in one line", () => {
    expect(
      formatCameraCounts({
        received: 12,
        accepted: 3,
        pendingReview: 1,
        duplicate: 1,
        refused: 3,
        malformed: 5,
      }),
    ).toBe("received 12, accepted 3 (1 pending review), duplicate 1, refused 3, malformed 5");
  });

  it("shows a broker URL without its password", () => {
    expect(redactMqttUrl("mqtt://gateway:s3cret@broker:1883")).toBe(
      "mqtt://gateway:***@broker:1883",
    );
    expect(redactMqttUrl("mqtt://127.0.0.1:1883")).toBe("mqtt://127.0.0.1:1883");
  });
});

describe("LogBudget", () => {
  it("allows linesMax lines per window and reports the held back ones once", () => {
    const budget = new LogBudget(2, 1_000);
    expect(budget.take(0)).toEqual({ allowed: true, heldBack: 0 });
    expect(budget.take(10)).toEqual({ allowed: true, heldBack: 0 });
    expect(budget.take(20)).toEqual({ allowed: false, heldBack: 0 });
    expect(budget.take(30)).toEqual({ allowed: false, heldBack: 0 });
    expect(budget.take(1_000)).toEqual({ allowed: true, heldBack: 2 });
    expect(budget.take(1_001)).toEqual({ allowed: true, heldBack: 0 });
  });
});
