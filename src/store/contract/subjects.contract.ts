import { describe, expect, it } from "vitest";
import {
  dayAfterStart,
  defaultRulebookText,
  expectLedgerConsistent,
  type OpenStore,
  publish,
  start,
  useStore,
} from "./support.js";

export function describeSubjectsAndSourcesContract(open: OpenStore): void {
  describe("subjects", () => {
    const store = useStore(open);

    it("enrolls new subjects at the base score, and leaves enrolled ones alone", async () => {
      await publish(store(), defaultRulebookText, start);
      const first = await store().enrollSubjects(
        [
          { id: "alice", region: "north" },
          { id: "bob", region: "south" },
          { id: "alice", region: "east" },
        ],
        dayAfterStart(1),
      );
      expect(first).toEqual(["enrolled", "enrolled", "already_enrolled"]);
      const second = await store().enrollSubjects(
        [
          { id: "bob", region: "west" },
          { id: "carol", region: "north" },
        ],
        dayAfterStart(2),
      );
      expect(second).toEqual(["already_enrolled", "enrolled"]);

      const alice = await store().subject("alice");
      expect(alice).toMatchObject({ id: "alice", region: "north", enrolledAt: dayAfterStart(1) });
      expect(await store().subject("bob")).toMatchObject({ region: "south" });
      expect(await store().storedScore("carol")).toEqual({
        score: 1000,
        rating: "A",
        updatedAt: dayAfterStart(2),
      });
      expect(await store().ratingChanges("bob")).toEqual([
        { at: dayAfterStart(1), from: undefined, to: "A", score: 1000, cause: "enrollment" },
      ]);
      expect(await store().counts()).toEqual({ subjects: 3, sources: 0, entries: 0 });
      await expectLedgerConsistent(store());
    });

    it("answers undefined or empty for an unknown subject", async () => {
      await publish(store(), defaultRulebookText, start);
      expect(await store().subject("nobody")).toBeUndefined();
      expect(await store().storedScore("nobody")).toBeUndefined();
      expect(await store().ratingChanges("nobody")).toEqual([]);
      expect(await store().entries("nobody")).toEqual([]);
      expect(await store().storedScores([12345])).toEqual(new Map());
    });

    it("pages subjects in internal id order", async () => {
      await publish(store(), defaultRulebookText, start);
      const ids = Array.from({ length: 7 }, (_, index) => `s-${index}`);
      await store().enrollSubjects(
        ids.map((id) => ({ id, region: "north" })),
        start,
      );
      const seen: string[] = [];
      let after = 0;
      for (;;) {
        const page = await store().subjectsPage(after, 3);
        const last = page.at(-1);
        if (!last) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((subject) => subject.id));
        expect(last.internalId).toBeGreaterThan(after);
        after = last.internalId;
      }
      expect(seen).toEqual(ids);
      const all = await store().subjectsPage(0, 100);
      const scores = await store().storedScores(all.map((subject) => subject.internalId));
      expect([...scores.values()].map((score) => score.score)).toEqual(ids.map(() => 1000));
    });
  });

  describe("sources", () => {
    const store = useStore(open);

    it("adds sources with unique names", async () => {
      const police = await store().addSource(
        { name: "police", kind: "agency", allowedTypes: ["traffic.*", "public.littering"] },
        start,
      );
      expect(police).toMatchObject({
        name: "police",
        kind: "agency",
        allowedTypes: ["traffic.*", "public.littering"],
      });
      const camera = await store().addSource(
        { name: "camera-1", kind: "camera", allowedTypes: ["*"] },
        start,
      );
      expect(
        await store().addSource({ name: "police", kind: "partner", allowedTypes: [] }, start),
      ).toHaveProperty("refused");
      expect(await store().source("police")).toEqual(police);
      expect(await store().source("nobody")).toBeUndefined();
      expect(await store().sources()).toEqual([police, camera]);
      expect((await store().counts()).sources).toBe(2);
    });

    it("refuses malformed type patterns, naming them", async () => {
      for (const pattern of ["traffic.", "Traffic.*", "traffic.**", "traffic red_light", ""]) {
        const added = await store().addSource(
          {
            name: `source-${pattern}`,
            kind: "agency",
            allowedTypes: ["traffic.red_light", pattern],
          },
          start,
        );
        expect(added, pattern).toHaveProperty("refused");
        if ("refused" in added) expect(added.refused).toContain(`'${pattern}'`);
      }
      expect(await store().sources()).toEqual([]);
    });
  });
}
