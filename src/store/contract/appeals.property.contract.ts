import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { overdueDecider } from "../../core/appeal.js";
import { days, type Instant } from "../../core/time.js";
import { transitionKinds } from "../../core/transition.js";
import {
  type ContractStore,
  expectLedgerConsistent,
  item,
  type OpenStore,
  type Sources,
  seedLedger,
  start,
  subjectIds,
} from "./support.js";

const subject = fc.constantFrom(...subjectIds);

/** Entry ids that mostly exist: the seeded entries are 1 to 8. */
const entryId = fc.integer({ min: 1, max: 10 });
/** An index into the open appeals, earliest deadline first. */
const openAppealIndex = fc.nat({ max: 3 });

const operation = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("ingest" as const),
      /** A camera's attributions, some waiting for review; else an agency's reports. */
      camera: fc.boolean(),
      events: fc.array(
        fc.record({
          subject,
          type: fc.constantFrom("civic.blood_donation", "public.littering"),
          confidence: fc.constantFrom(0.3, 0.95),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("appeal" as const),
      entry: entryId,
      /** Usually the entry's own subject; sometimes anyone. */
      stranger: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: subject },
      ),
      statement: fc.constantFrom("not me", "not me", "not me", " "),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("decide" as const),
      appeal: openAppealIndex,
      outcome: fc.constantFrom("upheld", "reversed") as fc.Arbitrary<"upheld" | "reversed">,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("transition" as const),
      entry: entryId,
      transition: fc.constantFrom(...transitionKinds),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("overdue" as const) }) },
);

type Operation = typeof operation extends fc.Arbitrary<infer Value> ? Value : never;

async function apply(store: ContractStore, sources: Sources, op: Operation, now: Instant) {
  if (op.kind === "ingest") {
    const items = op.events.map((event, index) =>
      item({
        id: `e-${now}-${index}`,
        occurredAt: now,
        subject: event.subject,
        type: op.camera ? "traffic.red_light" : event.type,
        confidence: op.camera ? event.confidence : undefined,
      }),
    );
    await store.ingestBatch(op.camera ? sources.camera : sources.registry, items, now);
  } else if (op.kind === "appeal") {
    const entry = await store.entry(op.entry);
    const subjectId = op.stranger ?? entry?.subjectId ?? "alice";
    const input = { entryId: op.entry, subjectId, statement: op.statement };
    await store.openAppeal({ ...input, evidenceUrl: undefined, at: now });
  } else if (op.kind === "decide") {
    const input = { outcome: op.outcome, decidedBy: "reviewer", reason: "random", at: now };
    const open = await store.openAppeals(10);
    // With no appeal open, an unknown appeal: refused.
    await store.decideAppeal(open[op.appeal % Math.max(open.length, 1)]?.id ?? 999, input);
  } else if (op.kind === "transition") {
    const input = { kind: op.transition, actor: "property", at: now, reason: "random" };
    await store.applyTransition(op.entry, input);
  } else {
    await store.decideOverdueAppeals(now);
  }
}

/** Entries 1 to 8 at `start`: four agency reports, then four camera attributions (two pending). */
async function seedEntries(store: ContractStore, sources: Sources): Promise<void> {
  const types = ["finance.payment_default", "public.littering", "civic.blood_donation"] as const;
  const reports = subjectIds.map((subjectId, index) =>
    item({
      id: `r-${index}`,
      subject: subjectId,
      type: types[index] ?? "public.littering",
      occurredAt: start,
    }),
  );
  reports.push(item({ id: "r-3", subject: "alice", type: "public.littering", occurredAt: start }));
  await store.ingestBatch(sources.registry, reports, start);
  const attributions = [0.3, 0.95, 0.3, 0.95].map((confidence, index) =>
    item({
      id: `c-${index}`,
      subject: subjectIds[index % subjectIds.length] ?? "alice",
      type: "traffic.red_light",
      occurredAt: start,
      confidence,
    }),
  );
  await store.ingestBatch(sources.camera, attributions, start);
}

/**
 * Every appeal is its entry's only one and appended its transition; an open one keeps its entry
 * disputed and is not past a sweep of overdue appeals; a decided one appended its decision.
 */
async function expectAppealsConsistent(store: ContractStore, overdueSweptAt: Instant) {
  for (const subjectId of subjectIds) {
    const appeals = await store.appealsOf(subjectId);
    const entryIds = appeals.map((appeal) => appeal.entryId);
    expect(new Set(entryIds).size, `one appeal per entry of ${subjectId}`).toBe(entryIds.length);
    for (const appeal of appeals) {
      expect((await store.entry(appeal.entryId))?.subjectId).toBe(subjectId);
      const transitions = await store.transitions(appeal.entryId);
      expect(transitions).toContainEqual(
        expect.objectContaining({ kind: "appealed", at: appeal.openedAt }),
      );
      if (appeal.outcome === undefined) {
        expect(await store.entry(appeal.entryId)).toMatchObject({ status: "disputed" });
        expect(appeal.deadlineAt, "an open appeal is not past a sweep").toBeGreaterThan(
          overdueSweptAt,
        );
        continue;
      }
      expect(appeal.decidedAt).toBeLessThanOrEqual(appeal.deadlineAt);
      expect(transitions).toContainEqual(
        expect.objectContaining({
          kind: appeal.outcome,
          actor: appeal.decidedBy,
          at: appeal.decidedAt,
        }),
      );
      if (appeal.decidedBy === overdueDecider) expect(appeal.outcome).toBe("reversed");
    }
  }
}

export function describeAppealsPropertyContract(open: OpenStore): void {
  describe("appeals under random operations", () => {
    it("keep scores equal to the core's, and appeals consistent with their entries", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(operation, fc.integer({ min: 0, max: 12 })), {
            minLength: 1,
            maxLength: 20,
          }),
          async (steps) => {
            const store = await open();
            try {
              const sources = await seedLedger(store);
              await seedEntries(store, sources);
              let now = start;
              let overdueSweptAt = -1;
              for (const [op, afterDays] of steps) {
                now += days(afterDays);
                await apply(store, sources, op, now);
                if (op.kind === "overdue") overdueSweptAt = now;
                await expectLedgerConsistent(store);
                await expectAppealsConsistent(store, overdueSweptAt);
              }
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 30 },
      );
    });
  });
}
