import { describe, expect, it } from "vitest";
import { dayAfterStart, item, type OpenStore, seedLedger, start, useStore } from "./support.js";

export function describeReadsContract(open: OpenStore): void {
  describe("reads", () => {
    const store = useStore(open);

    it("lists a subject's entries oldest first, and many subjects' entries by internal id", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.police,
        [
          item({
            id: "1",
            subject: "bob",
            type: "traffic.jaywalking",
            occurredAt: dayAfterStart(2),
          }),
          item({
            id: "2",
            subject: "alice",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(3),
          }),
          item({ id: "3", subject: "bob", type: "traffic.red_light", occurredAt: start }),
        ],
        dayAfterStart(4),
      );
      await store().ingestBatch(
        sources.registry,
        [
          item({
            id: "4",
            subject: "bob",
            type: "civic.volunteering",
            occurredAt: dayAfterStart(1),
          }),
        ],
        dayAfterStart(5),
      );
      const bob = await store().entries("bob");
      expect(bob.map((entry) => entry.id)).toEqual([1, 3, 4]);
      expect(bob.map((entry) => entry.source)).toEqual(["police", "police", "registry"]);
      expect(bob.map((entry) => entry.category)).toEqual(["traffic", "traffic", "civic"]);

      const subjects = await store().subjectsPage(0, 10);
      const internal = new Map(subjects.map((subject) => [subject.id, subject.internalId]));
      const byId = await store().entriesOfSubjects(subjects.map((subject) => subject.internalId));
      expect(byId.get(internal.get("bob") ?? 0)?.map((entry) => entry.id)).toEqual([1, 3, 4]);
      expect(byId.get(internal.get("alice") ?? 0)?.map((entry) => entry.id)).toEqual([2]);
      expect(byId.get(internal.get("carol") ?? 0) ?? []).toEqual([]);
      expect(await store().entry(2)).toEqual(byId.get(internal.get("alice") ?? 0)?.[0]);
    });

    it("answers undefined or empty for unknown entries", async () => {
      await seedLedger(store());
      expect(await store().entry(1)).toBeUndefined();
      expect(await store().transitions(1)).toEqual([]);
      expect((await store().entriesOfSubjects([])).size).toBe(0);
      expect(await store().counts()).toEqual({ subjects: 3, sources: 4, entries: 0 });
    });
  });
}
