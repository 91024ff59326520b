import type { Instant } from "../core/time.js";
import type { AccessStore } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";

/** How often the server decides overdue appeals and applies expiries. */
export const maintenanceIntervalMilliseconds = 60_000;

export type MaintenanceReport = Readonly<{ appealsDecided: number; entriesExpired: number }>;

/**
 * The ledger's time-driven duties: appeals past their deadline are decided for the subject
 * (charter item 4), and entries past their expiry stop counting (charter item 6).
 */
export async function runMaintenance(
  store: LedgerStore & AccessStore,
  now: Instant,
): Promise<MaintenanceReport> {
  const decided = await store.decideOverdueAppeals(now);
  const entriesExpired = await store.advanceClock(now);
  return { appealsDecided: decided.length, entriesExpired };
}

export type MaintenanceJob = Readonly<{
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}>;

/** Runs `runMaintenance` now and every `intervalMilliseconds`; runs never overlap. */
export function startMaintenance({
  store,
  clock,
  intervalMilliseconds = maintenanceIntervalMilliseconds,
  onReport,
  onError,
}: Readonly<{
  store: LedgerStore & AccessStore;
  clock: () => Instant;
  intervalMilliseconds?: number;
  onReport?: (report: MaintenanceReport) => void;
  onError: (error: unknown) => void;
}>): MaintenanceJob {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runMaintenance(store, clock())
      .then((report) => onReport?.(report), onError)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMilliseconds);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
