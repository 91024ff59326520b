import { describe, expect, it } from "vitest";
import {
  acceptedIds,
  dayAfterStart,
  entryOf,
  expectLedgerConsistent,
  item,
  type OpenStore,
  scoreOf,
  seedLedger,
  start,
  useStore,
} from "./support.js";

/** When entries take effect and expire, and when they wait for a human. */
export function describePricingContract(open: OpenStore): void {
  describe("pricing in time", () => {
    const store = useStore(open);

    it("records a batch received before the ledger clock at the clock", async () => {
      const sources = await seedLedger(store());
      await store().advanceClock(dayAfterStart(10));
      const outcomes = await store().ingestBatch(
        sources.police,
        [
          item({
            id: "r",
            subject: "alice",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(9),
          }),
        ],
        dayAfterStart(5),
      );
      const entry = await entryOf(store(), acceptedIds(outcomes)[0] ?? 0);
      expect(entry.recordedAt).toBe(dayAfterStart(10));
      expect(await store().ledgerClock()).toBe(dayAfterStart(10));
      expect((await store().ratingChanges("alice")).at(-1)).toMatchObject({
        at: dayAfterStart(10),
      });
      await expectLedgerConsistent(store());
    });

    it("prices a late report from its occurrence, and refuses one that has already expired", async () => {
      const sources = await seedLedger(store());
      const receivedAt = dayAfterStart(500);
      const outcomes = await store().ingestBatch(
        sources.police,
        [
          item({
            id: "old",
            subject: "alice",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(100),
          }),
          item({
            id: "recent",
            subject: "bob",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(400),
          }),
        ],
        receivedAt,
      );
      // Charter item 6: an entry that would never count is not made, and the source is told why.
      expect(outcomes[0]).toMatchObject({
        kind: "invalid_field",
        message: expect.stringContaining("it would never count"),
      });
      const [recentId] = acceptedIds(outcomes);
      expect(await store().entries("alice")).toEqual([]);
      expect(await scoreOf(store(), "alice")).toBe(1000);
      expect(await store().ratingChanges("alice")).toHaveLength(1);
      expect(await entryOf(store(), recentId ?? 0)).toMatchObject({
        expiresAt: dayAfterStart(765),
      });
      expect(await scoreOf(store(), "bob")).toBe(990);
      await expectLedgerConsistent(store());
      expect(await store().advanceClock(dayAfterStart(765))).toBe(1);
      expect(await scoreOf(store(), "bob")).toBe(1000);
      await expectLedgerConsistent(store());
    });

    it("holds a low-confidence camera attribution for review; a confirmation makes it count", async () => {
      const sources = await seedLedger(store());
      const outcomes = await store().ingestBatch(
        sources.camera,
        [
          item({
            id: "c-1",
            subject: "alice",
            type: "traffic.red_light",
            occurredAt: start,
            confidence: 0.5,
          }),
          item({
            id: "c-2",
            subject: "bob",
            type: "traffic.red_light",
            occurredAt: start,
            confidence: 0.95,
          }),
        ],
        dayAfterStart(1),
      );
      expect(outcomes).toEqual([
        { kind: "accepted", entryId: 1, points: -10, status: "pending_review" },
        { kind: "accepted", entryId: 2, points: -10, status: "effective" },
      ]);
      expect(await entryOf(store(), 1)).toMatchObject({
        sourceKind: "camera",
        confidence: 0.5,
        initialStatus: "pending_review",
        status: "pending_review",
      });
      expect(await scoreOf(store(), "alice")).toBe(1000);
      expect(await scoreOf(store(), "bob")).toBe(990);
      await expectLedgerConsistent(store());

      const confirmed = await store().applyTransition(1, {
        kind: "confirmed",
        actor: "reviewer:kim",
        at: dayAfterStart(2),
        reason: "the plate in the image matches the registration",
      });
      expect(confirmed).toEqual({ ok: true, status: "effective" });
      expect(await scoreOf(store(), "alice")).toBe(990);
      expect((await store().ratingChanges("alice")).at(-1)).toMatchObject({
        at: dayAfterStart(2),
        to: "B",
        cause: "transition",
      });
      await expectLedgerConsistent(store());
    });
  });
}
