import { describe, expect, it } from "vitest";
import {
  dayAfterStart,
  item,
  notRefused,
  type OpenStore,
  seedLedger,
  start,
  useStore,
} from "./support.js";

export function describeStatisticsContract(open: OpenStore): void {
  describe("statistics", () => {
    const store = useStore(open);

    it("counts ratings by region, entries and points by type, appeals by source", async () => {
      const sources = await seedLedger(store());
      await store().enrollSubjects([{ id: "dave", region: "south" }], start);
      await store().ingestBatch(
        sources.registry,
        [
          item({ id: "d-1", subject: "alice", type: "finance.payment_default", occurredAt: start }),
          item({ id: "d-2", subject: "bob", type: "finance.payment_default", occurredAt: start }),
          item({ id: "v-1", subject: "dave", type: "civic.heroic_act", occurredAt: start }),
        ],
        dayAfterStart(1),
      );
      await store().ingestBatch(
        sources.police,
        [item({ id: "r-1", subject: "carol", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(2),
      );
      const appeal = notRefused(
        await store().openAppeal({
          entryId: 2,
          subjectId: "bob",
          statement: "paid",
          evidenceUrl: undefined,
          at: dayAfterStart(3),
        }),
      );
      notRefused(
        await store().decideAppeal(appeal.id, {
          outcome: "reversed",
          decidedBy: "reviewer-1",
          reason: "receipt shown",
          at: dayAfterStart(4),
        }),
      );

      const statistics = await store().statistics(dayAfterStart(10));
      expect(statistics.ratingsByRegion).toEqual([
        { region: "north", rating: "A", subjects: 1 },
        { region: "north", rating: "B", subjects: 2 },
        { region: "south", rating: "A", subjects: 1 },
      ]);
      expect(statistics.entriesByType).toEqual([
        { type: "civic.heroic_act", entries: 1, points: 30 },
        { type: "finance.payment_default", entries: 2, points: -50 },
        { type: "traffic.red_light", entries: 1, points: -10 },
      ]);
      expect(statistics.appealsBySource).toEqual([
        { source: "camera-7", entries: 0, appeals: 0, reversed: 0 },
        { source: "grocer", entries: 0, appeals: 0, reversed: 0 },
        { source: "police", entries: 1, appeals: 0, reversed: 0 },
        { source: "registry", entries: 3, appeals: 1, reversed: 1 },
      ]);
    });

    it("moves the ledger clock to `at` first, so that expired entries no longer count", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.police,
        [item({ id: "r-1", subject: "alice", type: "public.queue_jumping", occurredAt: start })],
        dayAfterStart(1),
      );
      // The rule expires after 180 days.
      const statistics = await store().statistics(dayAfterStart(200));
      expect(await store().ledgerClock()).toBe(dayAfterStart(200));
      expect(statistics.entriesByType).toEqual([
        { type: "public.queue_jumping", entries: 1, points: 0 },
      ]);
      expect(statistics.ratingsByRegion).toEqual([{ region: "north", rating: "A", subjects: 3 }]);
    });
  });
}
