import { describe, expect, it } from "vitest";
import { overdueDecider } from "../core/appeal.js";
import { days } from "../core/time.js";
import type { AppealRecord, InquiryRecord } from "../store/access.store.js";
import type { EntryRecord } from "../store/store.js";
import {
  compareFeedOrder,
  deriveNotifications,
  type NotificationSources,
  positionOf,
} from "./notifications.js";

const t0 = Date.parse("2026-03-01T00:00:00Z");

function entry(fields: Partial<EntryRecord> & Pick<EntryRecord, "id">): EntryRecord {
  return {
    subjectId: "c-001",
    subjectInternalId: 1,
    source: "police",
    sourceKind: "agency",
    eventId: `e-${fields.id}`,
    type: "traffic.red_light",
    category: "traffic",
    points: -10,
    initialStatus: "effective",
    status: "effective",
    occurredAt: t0,
    recordedAt: t0,
    effectiveAt: t0,
    expiresAt: t0 + days(365),
    rulebookVersion: 1,
    evidence: { description: "signal red" },
    confidence: undefined,
    region: undefined,
    attributes: undefined,
    ...fields,
  };
}

function appeal(fields: Partial<AppealRecord> & Pick<AppealRecord, "id">): AppealRecord {
  return {
    entryId: 1,
    subjectId: "c-001",
    statement: "not me",
    evidenceUrl: undefined,
    openedAt: t0,
    deadlineAt: t0 + days(30),
    outcome: undefined,
    decidedBy: undefined,
    decidedAt: undefined,
    reason: undefined,
    ...fields,
  };
}

const inquiry: InquiryRecord = {
  id: 7,
  subjectId: "c-001",
  partner: "bank",
  purpose: "credit",
  disclosure: "rating",
  allowed: false,
  refusal: "no_live_consent",
  disclosed: {},
  at: t0 + days(2),
};

const ruleDescriptions = new Map([["traffic.red_light", "Drove through a red light."]]);

const none: NotificationSources = {
  entries: [],
  ruleDescriptions,
  reviews: [],
  appeals: [],
  inquiries: [],
  ratingChanges: [],
  benefitChanges: [],
};

describe("deriveNotifications", () => {
  it("tells of every kind of event, newest first", () => {
    const feed = deriveNotifications({
      ruleDescriptions,
      entries: [
        entry({ id: 1 }),
        entry({
          id: 2,
          sourceKind: "camera",
          initialStatus: "pending_review",
          confidence: 0.5,
          recordedAt: t0 + days(1),
        }),
      ],
      reviews: [
        { entryId: 2, kind: "confirmed", actor: "rita", at: t0 + days(3), reason: "clear photo" },
      ],
      appeals: [
        appeal({ id: 4, outcome: "reversed", decidedBy: "rita", decidedAt: t0 + days(4) }),
        appeal({ id: 5 }),
      ],
      inquiries: [inquiry],
      ratingChanges: [
        { at: t0 - days(100), from: undefined, to: "A", score: 1000, cause: "enrollment" },
        { at: t0 + days(5), from: "A", to: "B", score: 990, cause: "transition" },
      ],
      benefitChanges: [
        { benefitId: "rental", name: "Deposit-free rental", at: t0 + days(5), eligible: false },
      ],
    });
    expect(feed.map((notification) => notification.id)).toEqual([
      `rating_changed:${t0 + days(5)}:B`,
      `benefit_lost:rental:${t0 + days(5)}`,
      "appeal_decided:4",
      `entry_reviewed:2:${t0 + days(3)}`,
      "inquiry_made:7",
      "entry_pending_review:2",
      "entry_recorded:1",
    ]);
    const byKind = new Map(feed.map((notification) => [notification.kind, notification]));
    expect(byKind.get("entry_pending_review")?.message).toMatch(/confidence 0.5.*reviewer/);
    expect(byKind.get("entry_reviewed")?.message).toMatch(/confirmed entry #2.*clear photo/);
    expect(byKind.get("inquiry_made")?.message).toMatch(/bank.*refused \(no_live_consent\)/);
    expect(byKind.get("appeal_decided")).toMatchObject({ appealId: 4, entryId: 1 });
  });

  it("holds each notification's facts beside its English message", () => {
    const feed = deriveNotifications({
      ...none,
      entries: [
        entry({ id: 1, initialStatus: "capped", points: 0 }),
        entry({ id: 2, type: "traffic.retired_rule", recordedAt: t0 + days(1) }),
      ],
      inquiries: [inquiry],
      ratingChanges: [{ at: t0 + days(3), from: "A", to: "B", score: 990, cause: "transition" }],
      benefitChanges: [
        { benefitId: "rental", name: "Deposit-free rental", at: t0 + days(4), eligible: true },
      ],
    });
    expect(feed).toEqual([
      expect.objectContaining({
        kind: "benefit_gained",
        benefitId: "rental",
        benefitName: "Deposit-free rental",
        message: "You now qualify for Deposit-free rental.",
      }),
      expect.objectContaining({ kind: "rating_changed", from: "A", to: "B", score: 990 }),
      expect.objectContaining({
        kind: "inquiry_made",
        inquiryId: 7,
        partner: "bank",
        purpose: "credit",
        disclosure: "rating",
        allowed: false,
        refusal: "no_live_consent",
      }),
      expect.objectContaining({
        kind: "entry_recorded",
        entryId: 2,
        ruleType: "traffic.retired_rule",
        ruleDescription: undefined,
        message: expect.stringMatching(/^New entry: traffic.retired_rule \(-10 points\)/),
      }),
      expect.objectContaining({
        kind: "entry_recorded",
        entryId: 1,
        ruleDescription: "Drove through a red light.",
        points: 0,
        source: "police",
        sourceKind: "agency",
        capped: true,
        message: expect.stringMatching(/^New entry: Drove through a red light \(0 points\).*cap/),
      }),
    ]);
    expect(feed[1]?.message).toMatch(/reviewed or appealed, or an appeal was decided/);
  });

  it("words an appeal's outcome from the subject's side: granted or refused", () => {
    const [granted, refused] = deriveNotifications({
      ...none,
      appeals: [
        appeal({ id: 4, outcome: "reversed", decidedBy: "rita", decidedAt: t0 + days(5) }),
        appeal({
          id: 5,
          entryId: 2,
          outcome: "upheld",
          decidedBy: "rita",
          decidedAt: t0 + days(4),
          reason: "clear photo",
        }),
      ],
    });
    expect(granted).toMatchObject({ kind: "appeal_decided", outcome: "reversed", overdue: false });
    expect(granted?.message).toMatch(/entry #1 was granted: the entry is reversed/);
    expect(refused).toMatchObject({ outcome: "upheld", reason: "clear photo" });
    expect(refused?.message).toMatch(/entry #2 was refused: the entry is upheld.*clear photo/);
  });

  it("says when an appeal was decided for the subject at its deadline", () => {
    const [notification] = deriveNotifications({
      ...none,
      appeals: [
        appeal({
          id: 9,
          outcome: "reversed",
          decidedBy: overdueDecider,
          decidedAt: t0 + days(30),
          reason: "not decided within 30 days",
        }),
      ],
    });
    expect(notification).toMatchObject({ kind: "appeal_decided", overdue: true });
    expect(notification?.message).toMatch(/not decided in time.*in your favour/);
  });

  it("is empty for a quiet record", () => {
    expect(deriveNotifications(none)).toEqual([]);
  });

  it("orders equal times of one kind by id, larger first, so that a position pages it", () => {
    const feed = deriveNotifications({
      ...none,
      entries: [9, 10, 2].map((id) => entry({ id })),
      inquiries: [7, 12, 100].map((id) => ({ ...inquiry, id, at: t0 })),
    });
    expect(feed.map((notification) => notification.id)).toEqual([
      "entry_recorded:10",
      "entry_recorded:9",
      "entry_recorded:2",
      "inquiry_made:100",
      "inquiry_made:12",
      "inquiry_made:7",
    ]);
    const positions = feed.map(positionOf);
    expect(positions[3]).toEqual({ at: t0, kind: "inquiry_made", key: "100" });
    for (const [index, position] of positions.entries()) {
      expect(compareFeedOrder(position, position)).toBe(0);
      const following = positions[index + 1];
      if (following) expect(compareFeedOrder(position, following)).toBeLessThan(0);
    }
  });
});
