import { afterEach, describe, expect, it } from "vitest";
import { days } from "../core/time.js";
import { openTestApp, type TestApp } from "../test-support/api.js";
import { runMaintenance, startMaintenance } from "./maintenance.js";

let test: TestApp | undefined;
afterEach(async () => {
  await test?.close();
  test = undefined;
});

async function ledgerWithAnAppeal(): Promise<TestApp> {
  test = await openTestApp();
  const { store, clock } = test;
  await test.addSource("police", "agency", ["traffic.*"]);
  await test.enroll([{ id: "c-001", region: "north" }]);
  const source = await store.source("police");
  if (!source) throw new Error("no source");
  const occurredAt = clock.now - days(1);
  const event = (id: string) => ({
    event: {
      id,
      subject: "c-001",
      type: "traffic.jaywalking",
      occurredAt,
      evidence: { description: "Officer's report" },
      confidence: undefined,
      region: undefined,
      attributes: undefined,
    },
    payloadHash: id,
  });
  await store.ingestBatch(source, [event("e-1"), event("e-2")], clock.now);
  const appeal = await store.openAppeal({
    entryId: 1,
    subjectId: "c-001",
    statement: "I was not there",
    evidenceUrl: undefined,
    at: clock.now,
  });
  if ("refused" in appeal) throw new Error(appeal.refused);
  return test;
}

describe("runMaintenance", () => {
  it("decides overdue appeals for the subject and applies expiries", async () => {
    const { store, clock } = await ledgerWithAnAppeal();
    expect((await store.storedScore("c-001"))?.score).toBe(995);
    expect(await runMaintenance(store, clock.now + days(1))).toEqual({
      appealsDecided: 0,
      entriesExpired: 0,
    });
    const report = await runMaintenance(store, clock.now + days(400));
    expect(report).toEqual({ appealsDecided: 1, entriesExpired: 1 });
    expect((await store.appealsOf("c-001"))[0]?.outcome).toBe("reversed");
    expect((await store.storedScore("c-001"))?.score).toBe(1000);
  });
});

describe("startMaintenance", () => {
  it("runs at once, then on its interval, and stop waits for a run in progress", async () => {
    const { store, clock } = await ledgerWithAnAppeal();
    clock.now += days(31);
    const reports: unknown[] = [];
    const errors: unknown[] = [];
    const job = startMaintenance({
      store,
      clock: () => clock.now,
      intervalMilliseconds: 10,
      onReport: (report) => reports.push(report),
      onError: (error) => errors.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await job.stop();
    const count = reports.length;
    expect(reports[0]).toEqual({ appealsDecided: 1, entriesExpired: 0 });
    expect(count).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reports).toHaveLength(count);
    expect(errors).toEqual([]);
  });
});
