import { describe, expect, it } from "vitest";
import { days } from "../../core/time.js";
import { ratingsOverTimePointsMax, ratingsOverTimeStepDays } from "../access.store.js";
import {
  acceptedIds,
  dayAfterStart,
  defaultRulebookText,
  item,
  notRefused,
  type OpenStore,
  publish,
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
      expect(statistics.ratingsOverTime.series).not.toEqual([]);

      const now = await store().statistics(dayAfterStart(10), { overTime: false });
      expect(now).toEqual({ ...statistics, ratingsOverTime: { points: [], series: [] } });
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

    it("samples the distribution weekly back from `at`, each subject from its enrollment", async () => {
      const sources = await seedLedger(store());
      const drunk = item({
        id: "dd-1",
        subject: "alice",
        type: "traffic.drunk_driving",
        occurredAt: dayAfterStart(9),
      });
      const [entryId] = acceptedIds(
        await store().ingestBatch(sources.police, [drunk], dayAfterStart(10)),
      );
      await store().enrollSubjects([{ id: "dave", region: "south" }], dayAfterStart(12));
      // While the appeal is open the entry does not count: alice is back in A.
      notRefused(
        await store().openAppeal({
          entryId: entryId as number,
          subjectId: "alice",
          statement: "not me",
          evidenceUrl: undefined,
          at: dayAfterStart(18),
        }),
      );

      const at = dayAfterStart(31);
      const { ratingsOverTime, ratingsByRegion } = await store().statistics(at);
      // Weekly back from day 31; day 10 is a point, and a change at a point counts there. The
      // first point is the last one before anyone was enrolled (at day 0).
      expect(ratingsOverTime.points).toEqual([-4, 3, 10, 17, 24, 31].map(dayAfterStart));
      expect(ratingsOverTime.series).toEqual([
        { region: "north", rating: "A", subjects: [0, 3, 2, 2, 3, 3] },
        { region: "north", rating: "B", subjects: [0, 0, 1, 1, 0, 0] },
        { region: "south", rating: "A", subjects: [0, 0, 0, 1, 1, 1] },
      ]);
      const now = ratingsOverTime.series.map(({ region, rating, subjects }) => ({
        region,
        rating,
        subjects: subjects.at(-1),
      }));
      expect(now.filter((row) => row.subjects !== 0)).toEqual(ratingsByRegion);
    });

    it("keeps at most a year of weekly points, however old the ledger", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.police,
        [item({ id: "dd-1", subject: "bob", type: "traffic.drunk_driving", occurredAt: start })],
        dayAfterStart(800),
      );
      const at = dayAfterStart(800) + 1_000;
      const { points, series } = (await store().statistics(at)).ratingsOverTime;
      expect(points).toHaveLength(ratingsOverTimePointsMax);
      expect(points.at(-1)).toBe(at);
      expect(points[0]).toBe(at - (ratingsOverTimePointsMax - 1) * days(ratingsOverTimeStepDays));
      points.slice(1).forEach((point, index) => {
        expect(point - (points[index] as number)).toBe(days(ratingsOverTimeStepDays));
      });
      const last = ratingsOverTimePointsMax - 1;
      expect(series).toEqual([
        { region: "north", rating: "A", subjects: [...Array(last).fill(3), 2] },
        { region: "north", rating: "B", subjects: [...Array(last).fill(0), 1] },
      ]);
    });

    it("has one point and no series while nobody is enrolled", async () => {
      await publish(store(), defaultRulebookText, start);
      const { ratingsOverTime } = await store().statistics(dayAfterStart(3));
      expect(ratingsOverTime).toEqual({ points: [dayAfterStart(3)], series: [] });
    });
  });
}
