import { describe, expect, it } from "vitest";
import {
  acceptedIds,
  dayAfterStart,
  defaultRulebookText,
  entryOf,
  expectLedgerConsistent,
  item,
  type OpenStore,
  publish,
  rulebookText,
  scoreOf,
  seedLedger,
  start,
  useStore,
} from "./support.js";

export function describeRulebookContract(open: OpenStore): void {
  describe("rulebooks", () => {
    const store = useStore(open);

    it("has none before the first publication, and refuses to enroll or ingest without one", async () => {
      expect(await store().currentRulebook()).toBeUndefined();
      expect(await store().rulebookHistory()).toEqual([]);
      await expect(
        store().enrollSubjects([{ id: "alice", region: "north" }], start),
      ).rejects.toThrow();
      const source = await store().addSource(
        { name: "police", kind: "agency", allowedTypes: ["*"] },
        start,
      );
      if ("refused" in source) throw new Error(source.refused);
      const event = item({
        id: "e-1",
        subject: "alice",
        type: "traffic.red_light",
        occurredAt: start,
      });
      await expect(store().ingestBatch(source, [event], start)).rejects.toThrow();
      expect(await store().counts()).toEqual({ subjects: 0, sources: 1, entries: 0 });
    });

    it("numbers versions 1, 2, 3 and keeps each version's text and compiled rulebook", async () => {
      const texts = [
        defaultRulebookText,
        rulebookText([["title: Civic Credit default rulebook", "title: Second"]]),
        rulebookText([["title: Civic Credit default rulebook", "title: Third"]]),
      ];
      for (const [index, text] of texts.entries()) {
        const published = await publish(store(), text, dayAfterStart(index));
        expect(published.version).toBe(index + 1);
        expect(published.text).toBe(text);
      }
      expect(await store().rulebookHistory()).toEqual([
        {
          version: 1,
          title: "Civic Credit default rulebook",
          publishedAt: start,
          publishedBy: "test",
        },
        { version: 2, title: "Second", publishedAt: dayAfterStart(1), publishedBy: "test" },
        { version: 3, title: "Third", publishedAt: dayAfterStart(2), publishedBy: "test" },
      ]);
      const current = await store().currentRulebook();
      expect(current?.version).toBe(3);
      expect(current?.rulebook.title).toBe("Third");
      const second = await store().rulebookVersion(2);
      expect(second?.text).toBe(texts[1]);
      expect(second?.rulebook.ruleByType.get("traffic.red_light")?.points).toBe(-10);
      expect(await store().rulebookVersion(4)).toBeUndefined();
    });

    it("prices events ingested after a publication with the new version; earlier entries keep theirs", async () => {
      const sources = await seedLedger(store());
      const first = await store().ingestBatch(
        sources.police,
        [item({ id: "e-1", subject: "alice", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(1),
      );
      await publish(
        store(),
        rulebookText([
          [
            "    points: -10\n    expiresAfterDays: 365\n    legalBasis: Road",
            "    points: -20\n    expiresAfterDays: 365\n    legalBasis: Road",
          ],
        ]),
        dayAfterStart(2),
      );
      const second = await store().ingestBatch(
        sources.police,
        [
          item({
            id: "e-2",
            subject: "alice",
            type: "traffic.red_light",
            occurredAt: dayAfterStart(2),
          }),
        ],
        dayAfterStart(3),
      );
      const [firstId] = acceptedIds(first);
      const [secondId] = acceptedIds(second);
      expect(await entryOf(store(), firstId ?? 0)).toMatchObject({
        points: -10,
        rulebookVersion: 1,
        category: "traffic",
      });
      expect(await entryOf(store(), secondId ?? 0)).toMatchObject({
        points: -20,
        rulebookVersion: 2,
        category: "traffic",
      });
      expect(await scoreOf(store(), "alice")).toBe(970);
      await expectLedgerConsistent(store());
    });

    it("moves every stored score by a new base score and re-rates, logging cause 'rulebook'", async () => {
      const sources = await seedLedger(store());
      await store().ingestBatch(
        sources.police,
        [item({ id: "e-1", subject: "bob", type: "traffic.red_light", occurredAt: start })],
        dayAfterStart(1),
      );
      expect(await store().storedScore("bob")).toMatchObject({ score: 990, rating: "B" });
      const ratingChangesBefore = (await store().ratingChanges("alice")).length;

      await publish(
        store(),
        rulebookText([["baseScore: 1000", "baseScore: 1100"]]),
        dayAfterStart(2),
      );

      expect(await store().storedScore("alice")).toMatchObject({ score: 1100, rating: "A" });
      expect((await store().ratingChanges("alice")).length).toBe(ratingChangesBefore);
      expect(await store().storedScore("bob")).toMatchObject({ score: 1090, rating: "A" });
      expect((await store().ratingChanges("bob")).at(-1)).toEqual({
        at: dayAfterStart(2),
        from: "B",
        to: "A",
        score: 1090,
        cause: "rulebook",
      });
      await expectLedgerConsistent(store());
    });

    it("re-rates everyone when only the thresholds change", async () => {
      await seedLedger(store());
      await publish(
        store(),
        rulebookText([
          ["  AA: 1150", "  AA: 1000"],
          ["  A: 1000", "  A: 900"],
        ]),
        dayAfterStart(1),
      );
      for (const subjectId of ["alice", "bob", "carol"]) {
        expect(await store().storedScore(subjectId)).toMatchObject({ score: 1000, rating: "AA" });
        expect((await store().ratingChanges(subjectId)).at(-1)).toMatchObject({
          from: "A",
          to: "AA",
          cause: "rulebook",
          at: dayAfterStart(1),
        });
      }
      await expectLedgerConsistent(store());
    });

    it("logs no rating change when a publication keeps the base score and thresholds", async () => {
      await seedLedger(store());
      await publish(
        store(),
        rulebookText([["title: Civic Credit default rulebook", "title: Same scores"]]),
        dayAfterStart(1),
      );
      expect(await store().ratingChanges("alice")).toHaveLength(1);
      expect(await store().storedScore("alice")).toMatchObject({ score: 1000, rating: "A" });
    });
  });
}
