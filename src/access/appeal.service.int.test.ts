import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatInstant } from "../core/time.js";
import { openTestApp, type TestApp } from "../test-support/api.js";
import { reportOne } from "../test-support/citizen.js";
import { appealEntry } from "./appeal.service.js";

let test: TestApp;
let entryId: number;

beforeEach(async () => {
  test = await openTestApp();
  await test.enroll([{ id: "c-001", region: "north" }]);
  const police = await test.addSource("police", "agency", ["traffic.*"]);
  entryId = await reportOne(test, police, {
    occurredAt: formatInstant(test.clock.now - 3_600_000),
  });
});
afterEach(async () => {
  await test.close();
});

const request = { statement: "I was not driving that day.", evidenceUrl: undefined };
const appealNow = (store: TestApp["store"]) =>
  appealEntry(store, { subjectId: "c-001", entryId, request, now: test.clock.now });

describe("appealEntry", () => {
  it("names the refusal when another appeal won the race to the store", async () => {
    // Another request's appeal is written between this one's checks and its own write.
    const raced = new Proxy(test.store, {
      get(store, name, receiver) {
        if (name !== "openAppeal") return Reflect.get(store, name, receiver);
        return async (input: Parameters<TestApp["store"]["openAppeal"]>[0]) => {
          await store.openAppeal(input);
          return store.openAppeal(input);
        };
      },
    });
    expect(await appealNow(raced)).toEqual({
      kind: "refused",
      refusal: { reason: "appealed_before", entryId },
    });
    expect(await test.store.appealsOf("c-001")).toHaveLength(1);
  });

  it("fails loudly on a store refusal its own checks cannot explain", async () => {
    const refusing = new Proxy(test.store, {
      get(store, name, receiver) {
        if (name === "openAppeal") return async () => ({ refused: "the disk is on fire" });
        return Reflect.get(store, name, receiver);
      },
    });
    await expect(appealNow(refusing)).rejects.toThrow(/the disk is on fire/);
    expect(await test.store.appealsOf("c-001")).toEqual([]);
  });
});
