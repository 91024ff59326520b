import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  InquiryInput,
  InquiryPageRequest,
  InquiryPosition,
  InquiryRecord,
} from "../access.store.js";
import {
  type ContractStore,
  dayAfterStart,
  notRefused,
  type OpenStore,
  seedLedger,
  start,
  useStore,
} from "./support.js";

/** A subject's log read page by page from the newest, `limit` at a time, with what each said. */
async function readAllPages(
  store: ContractStore,
  subjectId: string,
  limit: number,
  betweenPages: () => Promise<void> = async () => {},
): Promise<{ inquiries: InquiryRecord[]; pageSizes: number[] }> {
  const inquiries: InquiryRecord[] = [];
  const pageSizes: number[] = [];
  let after: InquiryPosition | undefined;
  // Bounded: a cursor that does not move on would otherwise loop forever.
  for (let page = 0; page < 1_000; page++) {
    const answer = await store.inquiries(subjectId, { after, limit });
    inquiries.push(...answer.inquiries);
    pageSizes.push(answer.inquiries.length);
    if (answer.next === undefined) return { inquiries, pageSizes };
    const last = answer.inquiries.at(-1);
    expect(answer.next).toEqual({ at: last?.at, id: last?.id });
    after = answer.next;
    await betweenPages();
  }
  throw new Error("the pages never ended");
}

/** The log's order: newest first, by time and then id. */
function newestFirst(records: readonly InquiryRecord[]): InquiryRecord[] {
  return [...records].sort((a, b) => b.at - a.at || b.id - a.id);
}

function inquiry(subjectId: string, at: number): InquiryInput {
  return {
    subjectId,
    partner: "bank-1",
    purpose: "credit",
    disclosure: "rating",
    allowed: true,
    refusal: undefined,
    disclosed: { rating: "A" },
    at,
  };
}

/** Charter item 3: the subject can page back to their very first inquiry, however many follow. */
export function describeInquiriesContract(open: OpenStore): void {
  describe("inquiry pages", () => {
    const store = useStore(open);

    async function recordAll(subjectId: string, times: readonly number[]) {
      const recorded: InquiryRecord[] = [];
      // One at a time: ids rise in the order of `times`.
      for (const at of times) recorded.push(await store().recordInquiry(inquiry(subjectId, at)));
      return recorded;
    }

    async function withPartner(): Promise<void> {
      await seedLedger(store());
      notRefused(
        await store().addPartner({ name: "bank-1", kind: "bank", purposes: ["credit"] }, start),
      );
    }

    it("pages newest first back to the first; the last page says so, even when full", async () => {
      await withPartner();
      const recorded = await recordAll(
        "alice",
        [5, 1, 4, 2, 6, 3].map((day) => dayAfterStart(day)),
      );
      await recordAll("bob", [dayAfterStart(7)]);
      const expected = newestFirst(recorded);
      const byThree = await readAllPages(store(), "alice", 3);
      expect(byThree).toEqual({ inquiries: expected, pageSizes: [3, 3] });
      const byFour = await readAllPages(store(), "alice", 4);
      expect(byFour).toEqual({ inquiries: expected, pageSizes: [4, 2] });
      expect(await readAllPages(store(), "alice", 1_000)).toEqual({
        inquiries: expected,
        pageSizes: [6],
      });
    });

    it("breaks ties of equal times by id at a page boundary, repeating and skipping none", async () => {
      await withPartner();
      const same = dayAfterStart(2);
      const recorded = await recordAll("alice", [
        dayAfterStart(3),
        same,
        same,
        dayAfterStart(1),
        same,
        same,
        same,
      ]);
      const expected = newestFirst(recorded);
      for (const limit of [1, 2, 3, 4]) {
        const { inquiries } = await readAllPages(store(), "alice", limit);
        expect(inquiries.map((record) => record.id)).toEqual(expected.map((record) => record.id));
      }
      // The boundary falls among the five of equal time: the next page goes on by id.
      const first = await store().inquiries("alice", { limit: 3 });
      expect(first.next).toEqual({ at: same, id: expected[2]?.id });
      const second = await store().inquiries("alice", { after: first.next, limit: 3 });
      expect(second.inquiries).toEqual(expected.slice(3, 6));
    });

    it("holds a position while inquiries are written between pages", async () => {
      await withPartner();
      const recorded = await recordAll(
        "alice",
        [1, 2, 2, 3, 4].map((day) => dayAfterStart(day)),
      );
      let newDay = 10;
      const later: InquiryRecord[] = [];
      const { inquiries } = await readAllPages(store(), "alice", 2, async () => {
        // Newer than anything read: before the position, on no later page.
        later.push(...(await recordAll("alice", [dayAfterStart(newDay++)])));
      });
      expect(inquiries).toEqual(newestFirst(recorded));
      expect(later).toHaveLength(2);
      // A new first page starts with them.
      const fresh = await store().inquiries("alice", { limit: 2 });
      expect(fresh.inquiries).toEqual(newestFirst(later));
    });

    it("answers a position that names no inquiry, and only the subject's own", async () => {
      await withPartner();
      const alices = await recordAll("alice", [1, 2, 3].map(dayAfterStart));
      const bobs = await recordAll("bob", [dayAfterStart(2)]);
      const bobPosition = { at: bobs[0]?.at ?? 0, id: bobs[0]?.id ?? 0 };
      const afterBob = await store().inquiries("alice", { after: bobPosition, limit: 10 });
      // Alice's inquiry at that time has a smaller id than Bob's: it comes after his position.
      expect(afterBob).toEqual({ inquiries: newestFirst(alices).slice(1), next: undefined });
      const betweenDays = { at: dayAfterStart(2) + 1, id: 1 };
      expect(
        (await store().inquiries("alice", { after: betweenDays, limit: 10 })).inquiries,
      ).toEqual(newestFirst(alices).slice(1));
      const beforeAll = { at: dayAfterStart(1), id: 0 };
      expect(await store().inquiries("alice", { after: beforeAll, limit: 10 })).toEqual({
        inquiries: [],
        next: undefined,
      });
      expect(await store().inquiries("nobody", { after: bobPosition, limit: 10 })).toEqual({
        inquiries: [],
        next: undefined,
      });
    });

    it("throws on a page of none, of more than 1,000, or at a position that is not whole", async () => {
      await withPartner();
      const refused: InquiryPageRequest[] = [
        { limit: 0 },
        { limit: 1_001 },
        { limit: 1.5 },
        { after: { at: 1.5, id: 1 }, limit: 1 },
        { after: { at: 1, id: Number.NaN }, limit: 1 },
      ];
      for (const page of refused) await expect(store().inquiries("alice", page)).rejects.toThrow();
    });

    it("pages every log, in any page size, with writes of any time between pages", async () => {
      await withPartner();
      const all: InquiryRecord[] = [];
      const time = fc.integer({ min: 0, max: 6 }).map((hour) => start + hour * 3_600_000);
      await fc.assert(
        fc.asyncProperty(
          fc.array(time, { maxLength: 12 }),
          fc.integer({ min: 1, max: 5 }),
          fc.array(time, { maxLength: 4 }),
          async (times, limit, written) => {
            all.push(...(await recordAll("alice", times)));
            const before = newestFirst(all);
            const pending = [...written];
            const { inquiries } = await readAllPages(store(), "alice", limit, async () => {
              const at = pending.shift();
              if (at !== undefined) all.push(...(await recordAll("alice", [at])));
            });
            // In order, each once, and every one there when the first page was read.
            expect(inquiries).toEqual(newestFirst(inquiries));
            expect(new Set(inquiries.map((record) => record.id)).size).toBe(inquiries.length);
            const read = new Set(inquiries.map((record) => record.id));
            expect(before.filter((record) => !read.has(record.id))).toEqual([]);
          },
        ),
        { numRuns: 20 },
      );
    });
  });
}
