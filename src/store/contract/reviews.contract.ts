import { describe, expect, it } from "vitest";
import { dayAfterStart, item, type OpenStore, seedLedger, start, useStore } from "./support.js";

export function describeReviewsContract(open: OpenStore): void {
  describe("pending reviews", () => {
    const store = useStore(open);

    it("lists the entries waiting for a reviewer, oldest first, `limit` at a time", async () => {
      const sources = await seedLedger(store());
      const camera = (id: string, subject: string, confidence: number) =>
        item({ id, subject, type: "traffic.red_light", occurredAt: start, confidence });
      await store().ingestBatch(
        sources.camera,
        [camera("c-1", "alice", 0.5), camera("c-2", "bob", 0.95), camera("c-3", "carol", 0.6)],
        dayAfterStart(1),
      );
      await store().ingestBatch(sources.camera, [camera("c-4", "alice", 0.7)], dayAfterStart(2));
      const pending = await store().pendingReviews(10);
      expect(pending.map((entry) => entry.id)).toEqual([1, 3, 4]);
      expect(pending[0]).toEqual(await store().entry(1));
      expect(pending.every((entry) => entry.status === "pending_review")).toBe(true);
      expect((await store().pendingReviews(2)).map((entry) => entry.id)).toEqual([1, 3]);
      expect(await store().pendingReviews(0)).toEqual([]);

      await store().applyTransition(1, {
        kind: "confirmed",
        actor: "reviewer-1",
        at: dayAfterStart(3),
        reason: "plate and face of the driver match",
      });
      await store().applyTransition(3, {
        kind: "appealed",
        actor: "subject:carol",
        at: dayAfterStart(3),
        reason: "not my car",
      });
      expect((await store().pendingReviews(10)).map((entry) => entry.id)).toEqual([4]);
      await expect(store().pendingReviews(1_001)).rejects.toThrow();
    });
  });
}
