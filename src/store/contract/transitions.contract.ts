import { describe, expect, it } from "vitest";
import type { TransitionKind } from "../../core/transition.js";
import type { LedgerStore } from "../store.js";
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

function decision(kind: TransitionKind, day: number) {
  return { kind, actor: `actor:${kind}`, at: dayAfterStart(day), reason: `${kind} on day ${day}` };
}

/** Alice with one effective -50 entry (id 1) recorded on day 1. */
async function withPaymentDefault(store: LedgerStore): Promise<void> {
  const sources = await seedLedger(store);
  await store.ingestBatch(
    sources.registry,
    [item({ id: "d-1", subject: "alice", type: "finance.payment_default", occurredAt: start })],
    dayAfterStart(1),
  );
}

export function describeTransitionsContract(open: OpenStore): void {
  describe("entry transitions", () => {
    const store = useStore(open);

    it("suspends the points while an appeal is open, and an upheld entry counts again", async () => {
      await withPaymentDefault(store());
      expect(await store().storedScore("alice")).toMatchObject({ score: 950, rating: "B" });

      expect(await store().applyTransition(1, decision("appealed", 2))).toEqual({
        ok: true,
        status: "disputed",
      });
      expect(await store().storedScore("alice")).toMatchObject({ score: 1000, rating: "A" });
      expect((await store().ratingChanges("alice")).at(-1)).toEqual({
        at: dayAfterStart(2),
        from: "B",
        to: "A",
        score: 1000,
        cause: "transition",
      });
      await expectLedgerConsistent(store());

      expect(await store().applyTransition(1, decision("upheld", 3))).toEqual({
        ok: true,
        status: "effective",
      });
      expect(await scoreOf(store(), "alice")).toBe(950);
      expect(await store().transitions(1)).toEqual([
        { entryId: 1, ...decision("appealed", 2) },
        { entryId: 1, ...decision("upheld", 3) },
      ]);
      expect(await store().entry(1)).toMatchObject({
        status: "effective",
        initialStatus: "effective",
      });
      await expectLedgerConsistent(store());
    });

    it("removes the points of a reversed entry for good", async () => {
      await withPaymentDefault(store());
      await store().applyTransition(1, decision("appealed", 2));
      expect(await store().applyTransition(1, decision("reversed", 3))).toEqual({
        ok: true,
        status: "reversed",
      });
      expect(await scoreOf(store(), "alice")).toBe(1000);
      const refused = await store().applyTransition(1, decision("reversed", 4));
      expect(refused).toMatchObject({ ok: false });
      expect(await store().transitions(1)).toHaveLength(2);
      await expectLedgerConsistent(store());
    });

    it("refuses an impossible transition and an unknown entry, writing nothing", async () => {
      await withPaymentDefault(store());
      const clock = await store().ledgerClock();
      const before = await store().ratingChanges("alice");
      for (const kind of ["upheld", "confirmed", "rejected"] as const) {
        const refused = await store().applyTransition(1, decision(kind, 30));
        expect(refused, kind).toMatchObject({ ok: false });
        if (!refused.ok) expect(refused.reason.length).toBeGreaterThan(0);
      }
      expect(await store().applyTransition(99, decision("appealed", 30))).toMatchObject({
        ok: false,
      });
      expect(
        await store().applyTransition(1, { ...decision("appealed", 30), actor: " " }),
      ).toMatchObject({
        ok: false,
      });
      expect(await store().transitions(1)).toEqual([]);
      expect(await store().transitions(99)).toEqual([]);
      expect(await store().ledgerClock()).toBe(clock);
      expect(await store().ratingChanges("alice")).toEqual(before);
      expect(await store().entry(1)).toMatchObject({ status: "effective" });
    });

    it("never counts a rejected attribution; an appeal of a pending one returns it to review", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.camera,
        [
          item({
            id: "c-1",
            subject: "bob",
            type: "traffic.red_light",
            occurredAt: start,
            confidence: 0.4,
          }),
          item({
            id: "c-2",
            subject: "bob",
            type: "traffic.red_light",
            occurredAt: start,
            confidence: 0.3,
          }),
        ],
        dayAfterStart(1),
      );
      expect(await store().applyTransition(1, decision("rejected", 2))).toEqual({
        ok: true,
        status: "rejected",
      });
      expect(await store().applyTransition(2, decision("appealed", 2))).toEqual({
        ok: true,
        status: "disputed",
      });
      expect(await store().applyTransition(2, decision("upheld", 3))).toEqual({
        ok: true,
        status: "pending_review",
      });
      expect(await scoreOf(store(), "bob")).toBe(1000);
      await expectLedgerConsistent(store());
    });

    it("moves no score when the entry changed has already expired", async () => {
      await withPaymentDefault(store());
      await store().applyTransition(1, decision("appealed", 2));
      // The default expires after 1095 days; the appeal is upheld after that.
      expect(await store().applyTransition(1, decision("upheld", 1200))).toMatchObject({
        ok: true,
      });
      expect(await scoreOf(store(), "alice")).toBe(1000);
      expect(await store().ledgerClock()).toBe(dayAfterStart(1200));
      await expectLedgerConsistent(store());
    });
  });
}
