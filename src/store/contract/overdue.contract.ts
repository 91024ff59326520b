import { describe, expect, it } from "vitest";
import { appealDaysMax, overdueDecider } from "../../core/appeal.js";
import { days } from "../../core/time.js";
import {
  dayAfterStart,
  expectLedgerConsistent,
  item,
  notRefused,
  type OpenStore,
  scoreOf,
  seedLedger,
  start,
  useStore,
} from "./support.js";

const statement = "it was not me";

export function describeOverdueAppealsContract(open: OpenStore): void {
  describe("overdue appeals", () => {
    const store = useStore(open);

    it("decides for the subject, at the deadline, each appeal nobody decided in time", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.registry,
        [
          item({ id: "d-1", subject: "alice", type: "finance.payment_default", occurredAt: start }),
          item({ id: "d-2", subject: "bob", type: "finance.payment_default", occurredAt: start }),
        ],
        dayAfterStart(1),
      );
      const open = async (entryId: number, subjectId: string, day: number) =>
        notRefused(
          await store().openAppeal({
            entryId,
            subjectId,
            statement,
            evidenceUrl: undefined,
            at: dayAfterStart(day),
          }),
        );
      const bob = await open(2, "bob", 5);
      const alice = await open(1, "alice", 2);
      expect((await store().openAppeals(10)).map((appeal) => appeal.id)).toEqual([
        alice.id,
        bob.id,
      ]);
      const aliceDeadline = dayAfterStart(2) + days(appealDaysMax);
      expect(await store().decideOverdueAppeals(aliceDeadline - 1)).toEqual([]);

      const decided = await store().decideOverdueAppeals(aliceDeadline);
      expect(decided).toEqual([
        {
          ...alice,
          outcome: "reversed",
          decidedBy: overdueDecider,
          decidedAt: aliceDeadline,
          reason: expect.any(String),
        },
      ]);
      expect(await store().appeal(alice.id)).toEqual(decided[0]);
      expect((await store().transitions(1)).at(-1)).toEqual({
        entryId: 1,
        kind: "reversed",
        actor: overdueDecider,
        at: aliceDeadline,
        reason: decided[0]?.reason,
      });
      expect(await store().entry(1)).toMatchObject({ status: "reversed" });
      expect(await scoreOf(store(), "alice")).toBe(1000);
      expect(await store().openAppeals(10)).toEqual([bob]);
      await expectLedgerConsistent(store());

      // Long after both deadlines: Bob's is decided at its own deadline, Alice's not again.
      const late = await store().decideOverdueAppeals(dayAfterStart(400));
      expect(late.map((appeal) => [appeal.id, appeal.decidedAt])).toEqual([
        [bob.id, bob.deadlineAt],
      ]);
      expect(await store().decideOverdueAppeals(dayAfterStart(400))).toEqual([]);
      expect(
        await store().decideAppeal(bob.id, {
          outcome: "upheld",
          decidedBy: "reviewer-1",
          reason: "too late",
          at: bob.deadlineAt,
        }),
      ).toMatchObject({ refused: expect.any(String) });
      expect(await scoreOf(store(), "bob")).toBe(1000);
      await expectLedgerConsistent(store());
    });

    it("decides at most 1,000 per call, earliest deadline first", async () => {
      const sources = await seedLedger(store());
      const count = 1_001;
      const items = Array.from({ length: count }, (_, index) =>
        item({ id: `r-${index}`, subject: "carol", type: "traffic.red_light", occurredAt: start }),
      );
      await store().ingestBatch(sources.police, items, dayAfterStart(1));
      for (let entryId = count; entryId >= 1; entryId -= 1) {
        const at = dayAfterStart(2) + (count - entryId);
        notRefused(
          await store().openAppeal({
            entryId,
            subjectId: "carol",
            statement,
            evidenceUrl: undefined,
            at,
          }),
        );
      }
      const first = await store().decideOverdueAppeals(dayAfterStart(100));
      expect(first).toHaveLength(1_000);
      expect(first[0]?.entryId).toBe(count);
      const deadlines = first.map((appeal) => appeal.deadlineAt);
      expect(deadlines).toEqual([...deadlines].sort((left, right) => left - right));
      expect(
        (await store().decideOverdueAppeals(dayAfterStart(100))).map((a) => a.entryId),
      ).toEqual([1]);
      expect(await scoreOf(store(), "carol")).toBe(1000);
      await expectLedgerConsistent(store());
    });
  });
}
