import { describe, expect, it } from "vitest";
import type { Report } from "./conduct.js";
import { DeliverySchedule } from "./delivery.js";
import { SeededRandom } from "./random.js";

const report = (seq: number, source: string): Report => ({
  seq,
  source,
  occurredAt: 1_000 * (100 - seq),
  event: { id: `e${seq}` },
});

function reports(count: number): Report[] {
  return Array.from({ length: count }, (_, seq) =>
    report(seq, seq % 2 ? "city-bank" : "traffic-police"),
  );
}

describe("DeliverySchedule", () => {
  it("without faults delivers each day's reports that day, per source, in the order they happened", () => {
    const schedule = new DeliverySchedule({ faults: false, days: 3 }, new SeededRandom(1));
    schedule.schedule(reports(10), 0);
    const deliveries = schedule.take(0);
    expect(deliveries.map((delivery) => delivery.source)).toEqual(["traffic-police", "city-bank"]);
    for (const { reports: sent } of deliveries) {
      const times = sent.map((each) => each.occurredAt);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(deliveries.flatMap((delivery) => delivery.reports)).toHaveLength(10);
    expect(schedule.take(1)).toEqual([]);
    expect(schedule.counts).toEqual({ reports: 10, late: 0, duplicates: 0, reordered: 0 });
  });

  it("with faults delivers some late, some twice and out of order, all by the last day", () => {
    const days = 10;
    const schedule = new DeliverySchedule({ faults: true, days }, new SeededRandom(2));
    const sent = reports(2_000);
    schedule.schedule(sent, 0);
    const delivered = new Map<number, number>();
    for (let day = 0; day < days; day++) {
      for (const delivery of schedule.take(day)) {
        for (const each of delivery.reports)
          delivered.set(each.seq, (delivered.get(each.seq) ?? 0) + 1);
      }
    }
    expect(delivered.size).toBe(sent.length);
    const twice = [...delivered.values()].filter((times) => times === 2).length;
    expect(twice).toBe(schedule.counts.duplicates);
    expect(schedule.counts.late).toBeGreaterThan(40);
    expect(schedule.counts.duplicates).toBeGreaterThan(10);
    expect(schedule.counts.reordered).toBeGreaterThan(0);
  });
});
