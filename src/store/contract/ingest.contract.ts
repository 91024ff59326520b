import { describe, expect, it } from "vitest";
import { batchEventsMax } from "../../core/batch.js";
import { days, millisecondsPerMinute } from "../../core/time.js";
import {
  acceptedIds,
  dayAfterStart,
  expectLedgerConsistent,
  item,
  type OpenStore,
  scoreOf,
  seedLedger,
  start,
  useStore,
} from "./support.js";

export function describeIngestContract(open: OpenStore): void {
  describe("ingestion", () => {
    const store = useStore(open);

    it("records an accepted event as an entry with every field, and moves the score", async () => {
      const sources = await seedLedger(store());
      const occurredAt = dayAfterStart(1);
      const receivedAt = occurredAt + 10 * millisecondsPerMinute;
      const event = {
        id: "tp-1",
        subject: "alice",
        type: "traffic.red_light",
        occurredAt,
        evidence: {
          description: "Signal red for 3 s",
          reference: "TP-1",
          url: "https://police.example/tp-1",
        },
        region: "north",
        attributes: { junction: "A4/B2", speed_kmh: 42, night: true },
      };
      const outcomes = await store().ingestBatch(
        sources.police,
        [item(event, "payload-hash-1")],
        receivedAt,
      );
      expect(outcomes).toEqual([
        { kind: "accepted", entryId: 1, points: -10, status: "effective" },
      ]);
      const alice = await store().subject("alice");
      const expected = {
        id: 1,
        subjectId: "alice",
        subjectInternalId: alice?.internalId,
        source: "police",
        sourceKind: "agency",
        eventId: "tp-1",
        type: "traffic.red_light",
        category: "traffic",
        points: -10,
        initialStatus: "effective",
        status: "effective",
        occurredAt,
        recordedAt: receivedAt,
        effectiveAt: occurredAt,
        expiresAt: occurredAt + days(365),
        rulebookVersion: 1,
        evidence: event.evidence,
        confidence: undefined,
        region: "north",
        attributes: event.attributes,
      };
      expect(await store().entry(1)).toEqual(expected);
      expect(await store().entries("alice")).toEqual([expected]);
      expect(await store().storedScore("alice")).toEqual({
        score: 990,
        rating: "B",
        updatedAt: receivedAt,
      });
      expect((await store().ratingChanges("alice")).at(-1)).toEqual({
        at: receivedAt,
        from: "A",
        to: "B",
        score: 990,
        cause: "ingest",
      });
      expect(await store().ledgerClock()).toBe(receivedAt);
      expect(await store().counts()).toEqual({ subjects: 3, sources: 4, entries: 1 });
      await expectLedgerConsistent(store());
    });

    it("answers a repeated report as a duplicate of the original entry, changing nothing", async () => {
      const sources = await seedLedger(store());
      const report = item({
        id: "tp-1",
        subject: "alice",
        type: "traffic.red_light",
        occurredAt: start,
      });
      await store().ingestBatch(sources.police, [report], dayAfterStart(1));
      const before = { counts: await store().counts(), score: await store().storedScore("alice") };
      const again = await store().ingestBatch(sources.police, [report], dayAfterStart(1));
      expect(again).toEqual([{ kind: "duplicate", entryId: 1 }]);
      expect(await store().counts()).toEqual(before.counts);
      expect(await store().storedScore("alice")).toEqual(before.score);
    });

    it("refuses an id reused with a different payload, and keeps the two sources' ids apart", async () => {
      const sources = await seedLedger(store());
      const report = { id: "r-1", subject: "alice", type: "traffic.red_light", occurredAt: start };
      await store().ingestBatch(sources.police, [item(report, "hash-a")], dayAfterStart(1));
      const reused = await store().ingestBatch(
        sources.police,
        [item({ ...report, subject: "bob" }, "hash-b")],
        dayAfterStart(1),
      );
      expect(reused).toMatchObject([{ kind: "id_reused_with_different_payload" }]);
      const otherSource = await store().ingestBatch(
        sources.registry,
        [item(report, "hash-a")],
        dayAfterStart(1),
      );
      expect(otherSource).toEqual([
        { kind: "accepted", entryId: 2, points: -10, status: "effective" },
      ]);
      expect(await scoreOf(store(), "alice")).toBe(980);
      expect(await scoreOf(store(), "bob")).toBe(1000);
      await expectLedgerConsistent(store());
    });

    it("knows a stored event among new ones, even when its new payload would be refused", async () => {
      const sources = await seedLedger(store());
      const receivedAt = dayAfterStart(1);
      const first = { id: "r-1", subject: "alice", type: "traffic.red_light", occurredAt: start };
      const second = { id: "r-2", subject: "bob", type: "public.littering", occurredAt: start };
      const fresh = (id: string, subject: string) =>
        item({ id, subject, type: "traffic.jaywalking", occurredAt: start });
      await store().ingestBatch(
        sources.police,
        [item(first, "hash-1"), item(second, "hash-2")],
        receivedAt,
      );
      const mixed = await store().ingestBatch(
        sources.police,
        [
          fresh("n-1", "alice"),
          item(first, "hash-1"),
          item({ ...second, subject: "nobody" }, "hash-3"),
          fresh("n-2", "bob"),
        ],
        receivedAt,
      );
      expect(mixed).toMatchObject([
        { kind: "accepted", entryId: 3 },
        { kind: "duplicate", entryId: 1 },
        { kind: "id_reused_with_different_payload" },
        { kind: "accepted", entryId: 4 },
      ]);
      const after = await store().ingestBatch(sources.police, [fresh("n-3", "alice")], receivedAt);
      expect(acceptedIds(after)).toEqual([5]);
      // Nothing refused: only writing the batch's keys finds the stored one among the new.
      const unrefused = await store().ingestBatch(
        sources.police,
        [fresh("n-4", "bob"), item(second, "hash-2"), fresh("n-5", "alice")],
        receivedAt,
      );
      expect(unrefused).toMatchObject([
        { kind: "accepted", entryId: 6 },
        { kind: "duplicate", entryId: 2 },
        { kind: "accepted", entryId: 7 },
      ]);
      // Alone in its batch, the reused id's new payload names no enrolled subject.
      const reused = await store().ingestBatch(
        sources.police,
        [item({ ...second, subject: "nobody" }, "hash-3")],
        receivedAt,
      );
      expect(reused).toMatchObject([{ kind: "id_reused_with_different_payload" }]);
      expect((await store().counts()).entries).toBe(7);
      expect((await store().entries("alice")).map((entry) => entry.eventId)).toEqual([
        "r-1",
        "n-1",
        "n-3",
        "n-5",
      ]);
      await expectLedgerConsistent(store());
    });

    it("decides duplicates within one batch", async () => {
      const sources = await seedLedger(store());
      const report = { id: "r-1", subject: "bob", type: "public.littering", occurredAt: start };
      const outcomes = await store().ingestBatch(
        sources.police,
        [item(report, "hash-a"), item(report, "hash-a"), item(report, "hash-b")],
        dayAfterStart(1),
      );
      expect(outcomes).toMatchObject([
        { kind: "accepted", entryId: 1 },
        { kind: "duplicate", entryId: 1 },
        { kind: "id_reused_with_different_payload" },
      ]);
      expect(await scoreOf(store(), "bob")).toBe(990);
      expect((await store().counts()).entries).toBe(1);
    });

    it("refuses bad events as values and keeps the good ones of the same batch", async () => {
      const sources = await seedLedger(store());
      const receivedAt = dayAfterStart(1);
      const outcomes = await store().ingestBatch(
        sources.police,
        [
          item({ id: "ok-1", subject: "alice", type: "traffic.jaywalking", occurredAt: start }),
          item({ id: "who", subject: "nobody", type: "traffic.jaywalking", occurredAt: start }),
          item({ id: "what", subject: "alice", type: "traffic.flying", occurredAt: start }),
          item({
            id: "not-yours",
            subject: "alice",
            type: "finance.payment_default",
            occurredAt: start,
          }),
          item({
            id: "later",
            subject: "alice",
            type: "traffic.jaywalking",
            occurredAt: receivedAt + days(1),
          }),
          item({ id: "ok-2", subject: "bob", type: "public.queue_jumping", occurredAt: start }),
        ],
        receivedAt,
      );
      expect(outcomes.map((outcome) => outcome.kind)).toEqual([
        "accepted",
        "unknown_subject",
        "unknown_event_type",
        "source_not_authorised_for_type",
        "occurred_in_future",
        "accepted",
      ]);
      expect(acceptedIds(outcomes)).toEqual([1, 2]);
      const camera = await store().ingestBatch(
        sources.camera,
        [item({ id: "cam-1", subject: "alice", type: "traffic.red_light", occurredAt: start })],
        receivedAt,
      );
      expect(camera).toMatchObject([{ kind: "invalid_field" }]);
      expect(await scoreOf(store(), "alice")).toBe(995);
      expect(await scoreOf(store(), "bob")).toBe(995);
      await expectLedgerConsistent(store());
    });

    it("throws on a batch larger than batchEventsMax (a programmer error)", async () => {
      const sources = await seedLedger(store());
      const report = item({
        id: "r",
        subject: "alice",
        type: "traffic.red_light",
        occurredAt: start,
      });
      const items = Array.from({ length: batchEventsMax + 1 }, () => report);
      await expect(store().ingestBatch(sources.police, items, dayAfterStart(1))).rejects.toThrow();
      expect((await store().counts()).entries).toBe(0);
    });
  });
}
