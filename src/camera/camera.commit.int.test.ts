import { afterEach, describe, expect, it } from "vitest";
import type { LedgerStore } from "../store/store.js";
import { eventLine, openTestLedger, type TestLedger } from "../test-support/ledger.js";
import { type CameraMessage, commitCameraBatch } from "./camera.commit.js";
import { CameraDirectory } from "./camera.directory.js";
import { decodeCameraPayload } from "./camera.message.js";
import { cameraOfTopic, cameraTopic } from "./camera.topic.js";

// A batch of camera messages against a real SQLite ledger: split by camera, each camera's
// events through the one ingest path, one outcome per message in order.
const now = Date.parse("2026-06-01T00:00:00Z");

let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

async function openLedger(): Promise<TestLedger> {
  ledger = await openTestLedger({
    at: now,
    sources: [
      { name: "cam-7", kind: "camera", allowedTypes: ["traffic.*"] },
      { name: "cam-8", kind: "camera", allowedTypes: ["traffic.red_light"] },
      { name: "police", kind: "agency", allowedTypes: ["traffic.*"] },
    ],
    subjects: [{ id: "c-001", region: "north" }],
  });
  return ledger;
}

function message(camera: string, overrides: Record<string, unknown> = {}): CameraMessage {
  const payload = eventLine({ occurredAt: "2026-05-31T08:00:00Z", confidence: 0.95, ...overrides });
  return {
    camera: cameraOfTopic(cameraTopic(camera)),
    decoded: decodeCameraPayload(Buffer.from(payload)),
  };
}

function busy(message: string): Error {
  return Object.assign(new Error(message), { code: "SQLITE_BUSY" });
}

/** The store with another ingestBatch (for injected failures). */
function withIngestBatch(store: LedgerStore, ingestBatch: LedgerStore["ingestBatch"]): LedgerStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === "ingestBatch") return ingestBatch;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function commit(store: LedgerStore, messages: CameraMessage[], retries: readonly number[] = []) {
  const retried: string[] = [];
  const outcomes = commitCameraBatch(messages, {
    store,
    directory: new CameraDirectory(store),
    clock: () => now,
    retryDelaysMilliseconds: retries,
    onRetry: (error) => retried.push((error as Error).message),
  });
  return { outcomes, retried };
}

describe("commitCameraBatch", () => {
  it("answers each message as its camera's source, in order", async () => {
    const { store } = await openLedger();
    const { outcomes } = commit(store, [
      message("cam-7", { id: "a-1" }),
      message("cam-8", { id: "a-1" }), // the same id from another camera is another event
      message("cam-7", { id: "a-2", confidence: 0.5 }),
      message("cam-8", { id: "a-2", type: "traffic.jaywalking" }),
      message("police", { id: "a-3" }),
      message("cam-404", { id: "a-4" }),
      message("cam-7", { id: "a-1" }),
      { camera: cameraOfTopic("cameras/bad id/infractions"), decoded: message("cam-7").decoded },
      {
        camera: cameraOfTopic(cameraTopic("cam-7")),
        decoded: decodeCameraPayload(Buffer.from("{")),
      },
    ]);
    expect((await outcomes).map((outcome) => outcome.kind)).toEqual([
      "accepted",
      "accepted",
      "accepted",
      "source_not_authorised_for_type",
      "unknown_camera",
      "unknown_camera",
      "duplicate",
      "unknown_camera",
      "malformed_json",
    ]);
    const entries = await store.entries("c-001");
    expect(entries.map((entry) => [entry.source, entry.eventId, entry.status])).toEqual([
      ["cam-7", "a-1", "effective"],
      ["cam-7", "a-2", "pending_review"],
      ["cam-8", "a-1", "effective"],
    ]);
  });

  it("says why a topic names no camera", async () => {
    const { store } = await openLedger();
    const outcomes = await commit(store, [message("police"), message("cam-404")]).outcomes;
    expect(outcomes.map((outcome) => ("message" in outcome ? outcome.message : ""))).toEqual([
      "source 'police' is of kind agency, not a camera: only cameras report on camera topics",
      "no camera 'cam-404' is registered; register it with: civic source add cam-404 --kind camera --types TYPES",
    ]);
  });

  it("takes a camera registered after an earlier message from it was refused", async () => {
    const { store } = await openLedger();
    const directory = new CameraDirectory(store);
    const options = { store, directory, clock: () => now };
    const first = await commitCameraBatch([message("cam-9", { id: "b-1" })], options);
    expect(first[0]?.kind).toBe("unknown_camera");
    await store.addSource({ name: "cam-9", kind: "camera", allowedTypes: ["traffic.*"] }, now);
    const second = await commitCameraBatch([message("cam-9", { id: "b-1" })], options);
    expect(second[0]?.kind).toBe("accepted");
  });

  it("tries a commit again after an operating error; nothing is stored twice", async () => {
    const { store } = await openLedger();
    let failures = 1;
    const flaky = withIngestBatch(store, (...args) => {
      if (failures-- > 0) return Promise.reject(busy("database is locked"));
      return store.ingestBatch(...args);
    });
    const { outcomes, retried } = commit(flaky, [message("cam-7", { id: "c-1" })], [1]);
    expect((await outcomes).map((outcome) => outcome.kind)).toEqual(["accepted"]);
    expect(retried).toEqual(["database is locked"]);
    expect(await store.entries("c-001")).toHaveLength(1);
  });

  it("does not try a bug again", async () => {
    const { store } = await openLedger();
    const broken = withIngestBatch(store, () => Promise.reject(new Error("an assertion failed")));
    const { outcomes, retried } = commit(broken, [message("cam-7")], [1, 1]);
    await expect(outcomes).rejects.toThrow("an assertion failed");
    expect(retried).toEqual([]);
  });

  it("gives up after the last retry", async () => {
    const { store } = await openLedger();
    const locked = withIngestBatch(store, () => Promise.reject(busy("locked")));
    const { outcomes, retried } = commit(locked, [message("cam-7")], [1, 1]);
    await expect(outcomes).rejects.toThrow("locked");
    expect(retried).toHaveLength(2);
  });
});
