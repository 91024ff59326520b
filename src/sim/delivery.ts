import type { Report } from "./conduct.js";
import type { SeededRandom } from "./random.js";
import { simSources } from "./sources.js";

/** With faults on: shares of reports delivered late, and delivered twice. */
export const lateShare = 0.05;
export const lateDaysMax = 7;
export const duplicateShare = 0.02;
export const duplicateDelayDaysMax = 3;

/** One source's reports due on one day, in the order they are sent. */
export type Delivery = Readonly<{ source: string; reports: readonly Report[] }>;

export type DeliveryCounts = {
  /** Reports delivered at least once. */
  reports: number;
  /** Reports delivered on a later day than they happened. */
  late: number;
  /** Extra copies of reports already sent or due (at-least-once delivery). */
  duplicates: number;
  /** Deliveries sent in another order than the conduct happened. */
  reordered: number;
};

/**
 * When each report reaches the system. Without faults a source sends each day's reports that
 * evening, in the order they happened. With faults some come days late, some twice, and each
 * day's deliveries are shuffled, late ones mixed in.
 */
export class DeliverySchedule {
  private readonly due = new Map<number, Report[]>();
  readonly counts: DeliveryCounts = { reports: 0, late: 0, duplicates: 0, reordered: 0 };

  constructor(
    private readonly options: Readonly<{ faults: boolean; days: number }>,
    private readonly random: SeededRandom,
  ) {}

  /** Schedules the reports of `day` (reports after the last day arrive on the last day). */
  schedule(reports: readonly Report[], day: number): void {
    for (const report of reports) {
      this.counts.reports++;
      let deliveryDay = day;
      if (this.options.faults && this.random.chance(lateShare)) {
        deliveryDay = day + this.random.between(1, lateDaysMax);
      }
      this.add(deliveryDay, report);
      if (deliveryDay > day && deliveryDay < this.options.days) this.counts.late++;
      if (this.options.faults && this.random.chance(duplicateShare)) {
        this.counts.duplicates++;
        this.add(deliveryDay + this.random.between(0, duplicateDelayDaysMax), report);
      }
    }
  }

  /** The day's deliveries, one per source that has reports due. */
  take(day: number): Delivery[] {
    const reports = this.due.get(day) ?? [];
    this.due.delete(day);
    const bySource = new Map<string, Report[]>();
    for (const report of reports) {
      const list = bySource.get(report.source) ?? [];
      list.push(report);
      bySource.set(report.source, list);
    }
    const deliveries: Delivery[] = [];
    for (const { name } of simSources) {
      const list = bySource.get(name);
      if (!list) continue;
      if (this.options.faults) {
        this.random.shuffle(list);
        if (!inOrder(list)) this.counts.reordered++;
      } else {
        list.sort((left, right) => left.occurredAt - right.occurredAt || left.seq - right.seq);
      }
      deliveries.push({ source: name, reports: list });
    }
    return this.options.faults ? this.random.shuffle(deliveries) : deliveries;
  }

  private add(day: number, report: Report): void {
    const deliveryDay = Math.min(day, this.options.days - 1);
    const list = this.due.get(deliveryDay) ?? [];
    list.push(report);
    this.due.set(deliveryDay, list);
  }
}

function inOrder(reports: readonly Report[]): boolean {
  for (let index = 1; index < reports.length; index++) {
    if ((reports[index] as Report).occurredAt < (reports[index - 1] as Report).occurredAt) {
      return false;
    }
  }
  return true;
}
