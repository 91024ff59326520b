import { describe, expect, it } from "vitest";
import type { BatchItem } from "../../core/batch.js";
import { days, millisecondsPerDay } from "../../core/time.js";
import {
  acceptedIds,
  dayAfterStart,
  expectCapsHeld,
  expectLedgerConsistent,
  item,
  type OpenStore,
  scoreOf,
  seedLedger,
  useStore,
} from "./support.js";

function purchases(subject: string, fromDay: number, count: number, prefix: string): BatchItem[] {
  return Array.from({ length: count }, (_, index) =>
    item({
      id: `${prefix}-${index}`,
      subject,
      type: "commerce.healthy_purchase",
      occurredAt: dayAfterStart(fromDay + index),
    }),
  );
}

export function describeCapsContract(open: OpenStore): void {
  describe("caps", () => {
    const store = useStore(open);

    it("never exceeds a cap in any window, across batches (+1 capped at +10 per 30 days)", async () => {
      const sources = await seedLedger(store());
      const outcomes = [
        ...(await store().ingestBatch(
          sources.grocer,
          purchases("alice", 0, 6, "a"),
          dayAfterStart(6),
        )),
        ...(await store().ingestBatch(
          sources.grocer,
          purchases("alice", 6, 6, "b"),
          dayAfterStart(12),
        )),
        ...(await store().ingestBatch(
          sources.grocer,
          purchases("alice", 12, 6, "c"),
          dayAfterStart(18),
        )),
      ];
      expect(
        outcomes.map((outcome) => (outcome.kind === "accepted" ? outcome.status : outcome.kind)),
      ).toEqual([...Array(10).fill("effective"), ...Array(8).fill("capped")]);
      const capped = await store().entry(acceptedIds(outcomes)[12] ?? 0);
      expect(capped).toMatchObject({ points: 0, status: "capped", initialStatus: "capped" });
      expect(await scoreOf(store(), "alice")).toBe(1010);
      await expectCapsHeld(store());
      await expectLedgerConsistent(store());

      // Thirty days after the first award a window holding nine awards opens: room for one.
      const later = await store().ingestBatch(
        sources.grocer,
        [0, 1].map((hour) =>
          item({
            id: `d-${hour}`,
            subject: "alice",
            type: "commerce.healthy_purchase",
            occurredAt: dayAfterStart(30) + hour * 3_600_000,
          }),
        ),
        dayAfterStart(31),
      );
      expect(later).toMatchObject([
        { kind: "accepted", status: "effective", points: 1 },
        { kind: "accepted", status: "capped", points: 0 },
      ]);
      await expectCapsHeld(store());
      await expectLedgerConsistent(store());
    });

    it("caps a late report that falls into a full window", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(sources.grocer, purchases("bob", 0, 10, "a"), dayAfterStart(10));
      const late = await store().ingestBatch(
        sources.grocer,
        [
          item({
            id: "late",
            subject: "bob",
            type: "commerce.healthy_purchase",
            occurredAt: dayAfterStart(4) + 1,
          }),
        ],
        dayAfterStart(40),
      );
      expect(late).toMatchObject([{ kind: "accepted", status: "capped" }]);
      await expectCapsHeld(store());
    });

    it("frees cap room when an award is reversed", async () => {
      const sources = await seedLedger(store());
      const first = await store().ingestBatch(
        sources.grocer,
        purchases("carol", 0, 10, "a"),
        dayAfterStart(10),
      );
      const reversed = await store().applyTransition(acceptedIds(first)[3] ?? 0, {
        kind: "reversed",
        actor: "grocer:returns",
        at: dayAfterStart(11),
        reason: "the purchase was returned",
      });
      expect(reversed).toEqual({ ok: true, status: "reversed" });
      const next = await store().ingestBatch(
        sources.grocer,
        [
          item({
            id: "next",
            subject: "carol",
            type: "commerce.healthy_purchase",
            occurredAt: dayAfterStart(11),
          }),
        ],
        dayAfterStart(12),
      );
      expect(next).toMatchObject([{ kind: "accepted", status: "effective", points: 1 }]);
      expect(await scoreOf(store(), "carol")).toBe(1010);
      await expectCapsHeld(store());
      await expectLedgerConsistent(store());
    });

    it("caps negative rules by their magnitude (-3 capped at -30 per 30 days)", async () => {
      const sources = await seedLedger(store());
      const items = Array.from({ length: 12 }, (_, index) =>
        item({
          id: `g-${index}`,
          subject: "alice",
          type: "online.gaming_excess",
          occurredAt: dayAfterStart(1) + index * (millisecondsPerDay / 2),
        }),
      );
      const outcomes = await store().ingestBatch(sources.registry, items, dayAfterStart(8));
      expect(
        outcomes.filter((outcome) => outcome.kind === "accepted" && outcome.status === "capped"),
      ).toHaveLength(2);
      expect(await scoreOf(store(), "alice")).toBe(970);
      await expectCapsHeld(store());
      await expectLedgerConsistent(store());
      expect(await store().advanceClock(dayAfterStart(1) + days(90) + days(6))).toBe(10);
      expect(await scoreOf(store(), "alice")).toBe(1000);
      await expectLedgerConsistent(store());
    });
  });
}
