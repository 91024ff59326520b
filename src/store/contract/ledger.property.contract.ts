import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreAt } from "../../core/score.js";
import { days } from "../../core/time.js";
import { transitionKinds } from "../../core/transition.js";
import type { LedgerStore } from "../store.js";
import {
  expectCapsHeld,
  expectLedgerConsistent,
  item,
  type OpenStore,
  publish,
  rulebookText,
  type Sources,
  seedLedger,
  start,
  subjectIds,
} from "./support.js";

const reportedEvent = fc.record({
  /** Index of an earlier id to reuse (a duplicate or a reused id), or a fresh one. */
  reuse: fc.option(fc.nat({ max: 30 }), { freq: 4 }),
  subject: fc.constantFrom("alice", "bob", "carol", "nobody"),
  type: fc.constantFrom(
    "traffic.red_light",
    "public.queue_jumping",
    "commerce.healthy_purchase",
    "online.gaming_excess",
    "civic.volunteering",
    "civic.blood_donation",
    "traffic.teleporting",
  ),
  occurredDaysAgo: fc.integer({ min: -1, max: 400 }),
  confidence: fc.option(fc.constantFrom(0.3, 0.95), { freq: 2 }),
  payload: fc.constantFrom("a", "b"),
});

const operation = fc.oneof(
  fc.record({
    kind: fc.constant("ingest" as const),
    source: fc.constantFrom("registry", "camera", "grocer") as fc.Arbitrary<keyof Sources>,
    events: fc.array(reportedEvent, { minLength: 1, maxLength: 12 }),
    afterDays: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({
    kind: fc.constant("transition" as const),
    entry: fc.nat({ max: 40 }),
    transition: fc.constantFrom(...transitionKinds),
    afterDays: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({ kind: fc.constant("clock" as const), afterDays: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ kind: fc.constant("publish" as const), baseScore: fc.constantFrom(950, 1000, 1100) }),
);

type Operation = typeof operation extends fc.Arbitrary<infer Value> ? Value : never;

/** Applies one random operation; returns the time after it. */
async function apply(
  store: LedgerStore,
  sources: Sources,
  step: Readonly<{ operation: Operation; now: number; ids: string[] }>,
): Promise<number> {
  const { operation: op, ids } = step;
  const now = step.now + ("afterDays" in op ? days(op.afterDays) : 0);
  if (op.kind === "ingest") {
    const items = op.events.map((event) => {
      let id = event.reuse === null ? undefined : ids[event.reuse];
      if (id === undefined) {
        id = `e-${ids.length}`;
        ids.push(id);
      }
      const confidence = op.source === "camera" ? (event.confidence ?? 0.95) : undefined;
      const fields = {
        id,
        subject: event.subject,
        type: event.type,
        occurredAt: now - days(event.occurredDaysAgo),
        confidence,
      };
      return item(fields, `${id}-${event.payload}`);
    });
    await store.ingestBatch(sources[op.source], items, now);
  } else if (op.kind === "transition") {
    await store.applyTransition(op.entry, {
      kind: op.transition,
      actor: "property",
      at: now,
      reason: "random",
    });
  } else if (op.kind === "clock") {
    await store.advanceClock(now);
  } else {
    const text = rulebookText([["baseScore: 1000", `baseScore: ${op.baseScore}`]]);
    await publish(store, text, now);
  }
  return now;
}

/**
 * Opens a store, seeds it and applies `operations` in turn, calling `after` once each has run;
 * answers the time after the last. The store is closed whatever happens.
 */
async function runOperations(
  open: OpenStore,
  operations: readonly Operation[],
  after: (store: LedgerStore, now: number) => Promise<void>,
  atEnd: (store: LedgerStore, now: number) => Promise<void>,
): Promise<void> {
  const store = await open();
  try {
    const sources = await seedLedger(store);
    let now = start;
    const ids: string[] = [];
    for (const op of operations) {
      now = await apply(store, sources, { operation: op, now, ids });
      await after(store, now);
    }
    await atEnd(store, now);
  } finally {
    await store.close();
  }
}

const nothing = async () => {};

export function describeLedgerPropertyContract(open: OpenStore): void {
  describe("the ledger under random operations", () => {
    it("keeps every stored score equal to the core's score, and every cap held", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 10 }), (operations) =>
          runOperations(
            open,
            operations,
            async (store) => {
              await expectLedgerConsistent(store);
              await expectCapsHeld(store);
            },
            nothing,
          ),
        ),
        { numRuns: 25 },
      );
    });

    it("answers a subject's score at any time before or after the clock as the core does", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(operation, { minLength: 1, maxLength: 10 }),
          fc.array(fc.integer({ min: -500, max: 800 }), { minLength: 1, maxLength: 6 }),
          (operations, probeDays) =>
            runOperations(open, operations, nothing, async (store, now) => {
              const published = await store.currentRulebook();
              const baseScore = published?.rulebook.baseScore ?? Number.NaN;
              for (const subjectId of subjectIds) {
                const entries = await store.entries(subjectId);
                for (const probe of probeDays) {
                  const at = now + days(probe);
                  expect(await store.scoreAt(subjectId, at), `${subjectId} ${probe} days on`).toBe(
                    scoreAt(entries, baseScore, at),
                  );
                }
              }
              expect(await store.scoreAt("nobody", now)).toBeUndefined();
            }),
        ),
        { numRuns: 25 },
      );
    });
  });
}
