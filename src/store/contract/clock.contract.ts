import { describe, expect, it } from "vitest";
import {
  dayAfterStart,
  expectLedgerConsistent,
  item,
  type OpenStore,
  scoreOf,
  seedLedger,
  start,
  useStore,
} from "./support.js";

export function describeClockContract(open: OpenStore): void {
  describe("the ledger clock and expiry", () => {
    const store = useStore(open);

    it("applies expiries in time order, logging each rating move at the expiry's own time", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.registry,
        [
          item({ id: "hero", subject: "alice", type: "civic.heroic_act", occurredAt: start }),
          item({
            id: "default",
            subject: "alice",
            type: "finance.payment_default",
            occurredAt: start,
          }),
          item({ id: "blood", subject: "alice", type: "civic.blood_donation", occurredAt: start }),
        ],
        dayAfterStart(1),
      );
      expect(await store().storedScore("alice")).toMatchObject({ score: 1010, rating: "A" });

      expect(await store().advanceClock(dayAfterStart(2000))).toBe(3);

      expect(await store().ledgerClock()).toBe(dayAfterStart(2000));
      expect(await store().storedScore("alice")).toEqual({
        score: 1000,
        rating: "A",
        updatedAt: dayAfterStart(1825),
      });
      expect((await store().ratingChanges("alice")).slice(1)).toEqual([
        { at: dayAfterStart(730), from: "A", to: "B", score: 980, cause: "expiry" },
        { at: dayAfterStart(1095), from: "B", to: "A", score: 1030, cause: "expiry" },
      ]);
      await expectLedgerConsistent(store());
    });

    it("nets the expiries that fall at the same instant before rating", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.registry,
        [item({ id: "blood", subject: "bob", type: "civic.blood_donation", occurredAt: start })],
        dayAfterStart(1),
      );
      await store().ingestBatch(
        sources.registry,
        [1, 2, 3].map((index) =>
          item({
            id: `red-${index}`,
            subject: "bob",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(365),
          }),
        ),
        dayAfterStart(366),
      );
      expect(await scoreOf(store(), "bob")).toBe(1000);
      expect(await store().advanceClock(dayAfterStart(731))).toBe(4);
      expect(await scoreOf(store(), "bob")).toBe(1000);
      expect(await store().ratingChanges("bob")).toHaveLength(1);
      await expectLedgerConsistent(store());
    });

    it("applies due expiries before a write at a later time", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.police,
        [item({ id: "red", subject: "alice", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(1),
      );
      await store().ingestBatch(
        sources.police,
        [
          item({
            id: "litter",
            subject: "bob",
            type: "public.littering",
            occurredAt: dayAfterStart(399),
          }),
        ],
        dayAfterStart(400),
      );
      expect(await store().storedScore("alice")).toMatchObject({ score: 1000, rating: "A" });
      expect((await store().ratingChanges("alice")).at(-1)).toEqual({
        at: dayAfterStart(365),
        from: "B",
        to: "A",
        score: 1000,
        cause: "expiry",
      });
      await expectLedgerConsistent(store());
    });

    it("never moves back", async () => {
      await seedLedger(store());
      expect(await store().advanceClock(dayAfterStart(10))).toBe(0);
      expect(await store().advanceClock(dayAfterStart(5))).toBe(0);
      expect(await store().ledgerClock()).toBe(dayAfterStart(10));
    });
  });
}
