import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StoredStatus } from "../../core/entry.js";
import { standingCode } from "../../core/history.js";
import { days } from "../../core/time.js";
import type { LedgerStore } from "../store.js";
import {
  applyHistoryOperation,
  expectedHistory,
  historyOperation,
  historyQueryShape,
  readHistory,
} from "./history.support.js";
import {
  acceptedIds,
  type ContractStore,
  dayAfterStart,
  item,
  type OpenStore,
  seedLedger,
  start,
  useStore,
} from "./support.js";

const code = (status: StoredStatus, flags: { confirmed?: boolean; lowConfidence?: boolean } = {}) =>
  standingCode({
    status,
    confirmed: flags.confirmed ?? false,
    lowConfidence: flags.lowConfidence ?? false,
  });

/**
 * Bob: a late red light (day 0, reported after the others), volunteering (day 1), jaywalking
 * (day 2) under appeal. Alice: a reversed red light, camera attributions (one confirmed after
 * review, one still waiting, one rejected, one confident), and eleven purchases in a day, the
 * last capped. Carol: nothing. Dave (south): a red light, still counting when it was reported
 * (a year less five days before day 4), expired by day 5.
 */
async function seedHistory(store: ContractStore): Promise<void> {
  const sources = await seedLedger(store);
  await store.enrollSubjects([{ id: "dave", region: "south" }], start);
  const red = "traffic.red_light";
  await store.ingestBatch(
    sources.police,
    [
      item({ id: "b-2", subject: "bob", type: "traffic.jaywalking", occurredAt: dayAfterStart(2) }),
      item({ id: "a-1", subject: "alice", type: red, occurredAt: dayAfterStart(3) }),
      item({ id: "d-1", subject: "dave", type: red, occurredAt: start - days(360) }),
    ],
    dayAfterStart(4),
  );
  await store.ingestBatch(
    sources.registry,
    [
      item({ id: "b-1", subject: "bob", type: "civic.volunteering", occurredAt: dayAfterStart(1) }),
      item({ id: "b-0", subject: "bob", type: red, occurredAt: start }),
    ],
    dayAfterStart(5),
  );
  const camera = await store.ingestBatch(
    sources.camera,
    [0.5, 0.6, 0.7, 0.95].map((confidence, index) =>
      item({
        id: `c-${index}`,
        subject: "alice",
        type: red,
        occurredAt: dayAfterStart(4),
        confidence,
      }),
    ),
    dayAfterStart(5),
  );
  const [confirmed, , rejected] = acceptedIds(camera);
  const purchases = Array.from({ length: 11 }, (_, index) =>
    item({
      id: `p-${index}`,
      subject: "alice",
      type: "commerce.healthy_purchase",
      occurredAt: dayAfterStart(5) + index,
    }),
  );
  await store.ingestBatch(sources.grocer, purchases, dayAfterStart(6));
  const decide = (kind: "confirmed" | "rejected" | "appealed" | "reversed") => ({
    kind,
    actor: "reviewer",
    at: dayAfterStart(7),
    reason: kind,
  });
  expect(await store.applyTransition(confirmed as number, decide("confirmed"))).toMatchObject({
    ok: true,
  });
  expect(await store.applyTransition(rejected as number, decide("rejected"))).toMatchObject({
    ok: true,
  });
  expect(await store.applyTransition(2, decide("reversed"))).toMatchObject({ ok: true });
  expect(await store.applyTransition(1, decide("appealed"))).toMatchObject({ ok: true });
}

/**
 * The history a store must read, worked out the long way from its public reads: every subject in
 * internal id order, each entry as the replay sees it, by (time, entry id).
 */
export function describeHistoryContract(open: OpenStore): void {
  describe("history for replay", () => {
    const store = useStore(open);

    it("reads nothing from a ledger without subjects", async () => {
      const { subjects, chunks } = await readHistory(store(), { at: start, confidenceMin: 0.9 });
      expect(subjects).toEqual([]);
      expect(chunks).toBe(0);
    });

    it("lists every subject with its events by time, their standing and live points", async () => {
      await seedHistory(store());
      const at = dayAfterStart(8);
      const { subjects } = await readHistory(store(), { at, confidenceMin: 0.9 });
      const red = "traffic.red_light";
      expect(subjects.map(({ region }) => region)).toEqual(["north", "north", "north", "south"]);
      const [alice, bob, carol, dave] = subjects;
      expect(bob?.events).toEqual([
        { type: red, occurredAt: start, standing: code("effective"), livePoints: -10 },
        {
          type: "civic.volunteering",
          occurredAt: dayAfterStart(1),
          standing: code("effective"),
          livePoints: 10,
        },
        {
          type: "traffic.jaywalking",
          occurredAt: dayAfterStart(2),
          standing: code("disputed"),
          livePoints: 0,
        },
      ]);
      expect(carol?.events).toEqual([]);
      expect(dave?.events).toEqual([
        { type: red, occurredAt: start - days(360), standing: code("effective"), livePoints: 0 },
      ]);
      const camera = alice?.events.filter((event) => event.occurredAt === dayAfterStart(4));
      expect(camera?.map(({ standing, livePoints }) => [standing, livePoints])).toEqual([
        [code("effective", { confirmed: true, lowConfidence: true }), -10],
        [code("pending_review", { lowConfidence: true }), 0],
        [code("rejected", { lowConfidence: true }), 0],
        [code("effective"), -10],
      ]);
      expect(alice?.events[0]).toMatchObject({ standing: code("reversed"), livePoints: 0 });
      const purchases = alice?.events.filter((event) => event.type === "commerce.healthy_purchase");
      expect(purchases?.map((event) => event.livePoints)).toEqual([...Array(10).fill(1), 0]);
      expect(purchases?.at(-1)?.standing).toBe(code("capped"));
    });

    it("marks low confidence against the threshold asked for", async () => {
      await seedHistory(store());
      const { subjects } = await readHistory(store(), {
        at: dayAfterStart(8),
        confidenceMin: 0.55,
      });
      const camera = subjects[0]?.events.filter((event) => event.occurredAt === dayAfterStart(4));
      expect(camera?.map((event) => event.standing)).toEqual([
        code("effective", { confirmed: true, lowConfidence: true }),
        code("pending_review"),
        code("rejected"),
        code("effective"),
      ]);
    });

    it("has live points that add up to the stored scores at the ledger clock", async () => {
      await seedHistory(store());
      const clock = await store().ledgerClock();
      const { subjects } = await readHistory(store(), { at: clock, confidenceMin: 0.9 });
      const stored = await store().storedScores(subjects.map((subject) => subject.internalId));
      for (const subject of subjects) {
        const live = subject.events.reduce((sum, event) => sum + event.livePoints, 1000);
        expect(live).toBe(stored.get(subject.internalId)?.score);
      }
    });

    it("cuts chunks at subject boundaries, and the chunks add up to one read", async () => {
      await seedHistory(store());
      const query = { at: dayAfterStart(8), confidenceMin: 0.9 };
      const whole = await readHistory(store(), query);
      const cut = await readHistory(store(), { ...query, chunkEventsMax: 2 });
      expect(cut.chunks).toBeGreaterThan(2);
      expect(cut.subjects).toEqual(whole.subjects);
    });

    it("reads what the entries say, for random ledgers with transitions (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(historyOperation, { minLength: 1, maxLength: 12 }),
          historyQueryShape,
          async (operations, shape) => {
            const store = await open();
            try {
              const sources = await seedLedger(store);
              let now = start;
              for (const [serial, operation] of operations.entries()) {
                now = await applyHistoryOperation(store, sources, operation, { now, serial });
              }
              const query = {
                at: now + days(shape.atDays),
                confidenceMin: shape.confidenceMin,
                chunkEventsMax: shape.chunkEventsMax,
              };
              const { subjects } = await readHistory(store, query);
              expect(subjects).toEqual(await expectedHistory(store, query));
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 20 },
      );
    });

    it("changes nothing in the ledger, and stopping early is allowed", async () => {
      await seedHistory(store());
      const before = await ledgerState(store());
      await readHistory(store(), { at: dayAfterStart(400), confidenceMin: 0.1 });
      for await (const chunk of store().history({
        at: start,
        confidenceMin: 1,
        chunkEventsMax: 1,
      })) {
        expect(chunk.subjects.count).toBeGreaterThan(0);
        break;
      }
      expect(await ledgerState(store())).toEqual(before);
      // The store still writes after an abandoned read.
      expect(await store().enrollSubjects([{ id: "erin", region: "east" }], start)).toEqual([
        "enrolled",
      ]);
    });
  });
}

async function ledgerState(store: LedgerStore) {
  const page = await store.subjectsPage(0, 100);
  const ids = page.map((subject) => subject.internalId);
  return {
    clock: await store.ledgerClock(),
    counts: await store.counts(),
    scores: [...(await store.storedScores(ids)).entries()],
    entries: [...(await store.entriesOfSubjects(ids)).entries()],
    ratingChanges: await Promise.all(page.map((subject) => store.ratingChanges(subject.id))),
  };
}
