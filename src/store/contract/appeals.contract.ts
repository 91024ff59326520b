import { describe, expect, it } from "vitest";
import { appealDaysMax, appealStatementLengthMax } from "../../core/appeal.js";
import { days } from "../../core/time.js";
import type { AppealDecisionInput, AppealInput, AppealRecord } from "../access.store.js";
import {
  type ContractStore,
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

/** Alice's -50 payment default (entry 1) and Bob's -100 unpaid judgment (entry 2), on day 1. */
async function withFinanceEntries(store: ContractStore): Promise<void> {
  const sources = await seedLedger(store);
  await store.ingestBatch(
    sources.registry,
    [
      item({ id: "d-1", subject: "alice", type: "finance.payment_default", occurredAt: start }),
      item({ id: "j-1", subject: "bob", type: "finance.court_judgment_unpaid", occurredAt: start }),
    ],
    dayAfterStart(1),
  );
}

function appealInput(fields: Partial<AppealInput> = {}): AppealInput {
  return {
    entryId: 1,
    subjectId: "alice",
    statement: "  I paid on time; the bank's letter is attached.  ",
    evidenceUrl: "https://example.org/letter.pdf",
    at: dayAfterStart(2),
    ...fields,
  };
}

function decision(fields: Partial<AppealDecisionInput> = {}): AppealDecisionInput {
  return {
    outcome: "upheld",
    decidedBy: "reviewer-1",
    reason: "the default is documented",
    at: dayAfterStart(5),
    ...fields,
  };
}

/** Everything an appeal can write; a refused appeal or decision leaves it as it was. */
async function written(store: ContractStore) {
  return {
    clock: await store.ledgerClock(),
    entries: await store.entries("alice"),
    transitions: await store.transitions(1),
    score: await store.storedScore("alice"),
    ratingChanges: await store.ratingChanges("alice"),
    appeals: await store.appealsOf("alice"),
  };
}

export function describeAppealsContract(open: OpenStore): void {
  describe("appeals", () => {
    const store = useStore(open);

    it("opens an appeal: the entry is disputed, stops counting, and the change is logged", async () => {
      await withFinanceEntries(store());
      expect(await store().storedScore("alice")).toMatchObject({ score: 950, rating: "B" });
      const opened = notRefused(await store().openAppeal(appealInput()));
      const expected: AppealRecord = {
        id: opened.id,
        entryId: 1,
        subjectId: "alice",
        statement: "I paid on time; the bank's letter is attached.",
        evidenceUrl: "https://example.org/letter.pdf",
        openedAt: dayAfterStart(2),
        deadlineAt: dayAfterStart(2) + days(appealDaysMax),
        outcome: undefined,
        decidedBy: undefined,
        decidedAt: undefined,
        reason: undefined,
      };
      expect(opened).toEqual(expected);
      expect(await store().appeal(opened.id)).toEqual(expected);
      expect(await store().appealsOf("alice")).toEqual([expected]);
      expect(await store().openAppeals(10)).toEqual([expected]);
      expect(await store().entry(1)).toMatchObject({ status: "disputed" });
      expect(await store().transitions(1)).toEqual([
        {
          entryId: 1,
          kind: "appealed",
          actor: "subject:alice",
          at: dayAfterStart(2),
          reason: expected.statement,
        },
      ]);
      expect(await store().storedScore("alice")).toMatchObject({ score: 1000, rating: "A" });
      expect((await store().ratingChanges("alice")).at(-1)).toEqual({
        at: dayAfterStart(2),
        from: "B",
        to: "A",
        score: 1000,
        cause: "transition",
      });
      await expectLedgerConsistent(store());
    });

    it("refuses what cannot be appealed, writing nothing", async () => {
      await withFinanceEntries(store());
      const before = await written(store());
      const refusals: AppealInput[] = [
        appealInput({ statement: "  " }),
        appealInput({ statement: "x".repeat(appealStatementLengthMax + 1) }),
        appealInput({ subjectId: "bob" }),
        appealInput({ subjectId: "nobody" }),
        appealInput({ entryId: 99 }),
        appealInput({ evidenceUrl: `https://example.org/${"x".repeat(2_000)}` }),
      ];
      for (const input of refusals) {
        const refused = await store().openAppeal(input);
        expect(refused, JSON.stringify(input).slice(0, 80)).toMatchObject({
          refused: expect.any(String),
        });
      }
      expect(await written(store())).toEqual(before);
      expect(await store().openAppeals(10)).toEqual([]);
    });

    it("appeals an entry once, ever", async () => {
      await withFinanceEntries(store());
      const first = notRefused(await store().openAppeal(appealInput()));
      expect(await store().openAppeal(appealInput({ at: dayAfterStart(3) }))).toMatchObject({
        refused: expect.any(String),
      });
      notRefused(await store().decideAppeal(first.id, decision()));
      const before = await written(store());
      expect(await store().openAppeal(appealInput({ at: dayAfterStart(6) }))).toMatchObject({
        refused: expect.any(String),
      });
      expect(await written(store())).toEqual(before);
    });

    it("refuses to appeal an entry that cannot be appealed: a rejected attribution", async () => {
      const sources = await seedLedger(store());
      const camera = { subject: "alice", type: "traffic.red_light", confidence: 0.4 } as const;
      await store().ingestBatch(
        sources.camera,
        [item({ id: "c-1", occurredAt: start, ...camera })],
        dayAfterStart(1),
      );
      await store().applyTransition(1, {
        kind: "rejected",
        actor: "reviewer-1",
        at: dayAfterStart(2),
        reason: "not her car",
      });
      const before = await written(store());
      expect(await store().openAppeal(appealInput())).toMatchObject({
        refused: expect.any(String),
      });
      expect(await written(store())).toEqual(before);
    });

    it("an upheld appeal restores the points; a reversed one removes them for good", async () => {
      await withFinanceEntries(store());
      const alice = notRefused(await store().openAppeal(appealInput()));
      const bob = notRefused(
        await store().openAppeal(appealInput({ entryId: 2, subjectId: "bob" })),
      );
      const upheld = notRefused(await store().decideAppeal(alice.id, decision()));
      expect(upheld).toEqual({
        ...alice,
        outcome: "upheld",
        decidedBy: "reviewer-1",
        decidedAt: dayAfterStart(5),
        reason: "the default is documented",
      });
      expect(await store().appeal(alice.id)).toEqual(upheld);
      expect(await store().entry(1)).toMatchObject({ status: "effective" });
      expect(await scoreOf(store(), "alice")).toBe(950);
      expect((await store().transitions(1)).at(-1)).toEqual({
        entryId: 1,
        kind: "upheld",
        actor: "reviewer-1",
        at: dayAfterStart(5),
        reason: "the default is documented",
      });

      const reversal = decision({ outcome: "reversed", decidedBy: "reviewer-2", reason: "paid" });
      notRefused(await store().decideAppeal(bob.id, reversal));
      expect(await store().entry(2)).toMatchObject({ status: "reversed" });
      expect(await scoreOf(store(), "bob")).toBe(1000);
      expect((await store().transitions(2)).at(-1)).toMatchObject({
        kind: "reversed",
        actor: "reviewer-2",
      });
      expect(await store().openAppeals(10)).toEqual([]);
      await expectLedgerConsistent(store());
    });

    it("refuses a decision that cannot be made, writing nothing", async () => {
      await withFinanceEntries(store());
      const opened = notRefused(await store().openAppeal(appealInput()));
      const before = await written(store());
      const deadline = opened.deadlineAt;
      const refusals: Array<[number, AppealDecisionInput]> = [
        [99, decision()],
        [opened.id, decision({ reason: " " })],
        [opened.id, decision({ decidedBy: " " })],
        [opened.id, decision({ at: deadline + 1 })],
        [opened.id, decision({ at: dayAfterStart(1) })],
      ];
      for (const [appealId, input] of refusals) {
        const refused = await store().decideAppeal(appealId, input);
        expect(refused, JSON.stringify(input)).toMatchObject({ refused: expect.any(String) });
      }
      expect(await written(store())).toEqual(before);
      notRefused(await store().decideAppeal(opened.id, decision({ at: deadline })));
      const decided = await written(store());
      expect(
        await store().decideAppeal(opened.id, decision({ outcome: "reversed" })),
      ).toMatchObject({ refused: expect.any(String) });
      expect(await written(store())).toEqual(decided);
    });

    it("settles an entry under appeal only through the appeal's decision", async () => {
      await withFinanceEntries(store());
      notRefused(await store().openAppeal(appealInput()));
      const before = await written(store());
      for (const kind of ["upheld", "reversed", "confirmed"] as const) {
        const refused = await store().applyTransition(1, {
          kind,
          actor: "admin-1",
          at: dayAfterStart(3),
          reason: "directly",
        });
        expect(refused, kind).toMatchObject({ ok: false });
      }
      expect(await written(store())).toEqual(before);
    });
  });
}
