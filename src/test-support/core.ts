/**
 * Fixtures for the core's unit and property tests: the default rulebook, event builders, and a
 * tiny in-memory stand-in for the store around `planBatch`. Test code only (not built).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { AcceptedEntry, BatchItem, BatchPlan, StoredEvent } from "../core/batch.js";
import { planBatch } from "../core/batch.js";
import type { Award } from "../core/cap.js";
import { holdsCapRoom, type LedgerLine, type StoredStatus } from "../core/entry.js";
import { type ConductEvent, canonicalPayload } from "../core/event.js";
import type { Rule, Rulebook } from "../core/rulebook.js";
import { parseRulebook } from "../core/rulebook.parse.js";
import type { RulebookDocument } from "../core/rulebook.schema.js";
import type { SourceProfile } from "../core/source.js";
import { days, type Instant, millisecondsPerDay } from "../core/time.js";
import {
  applyTransition,
  type EntryState,
  initialState,
  type TransitionKind,
} from "../core/transition.js";

export const defaultRulebookFile = "rulebooks/default.yaml";
export const defaultRulebookText = readFileSync(
  fileURLToPath(new URL("../../rulebooks/default.yaml", import.meta.url)),
  "utf8",
);

function loadDefault(): { rulebook: Rulebook; document: RulebookDocument } {
  const result = parseRulebook(defaultRulebookText, defaultRulebookFile);
  if (!result.ok) throw new Error(`default rulebook refused: ${JSON.stringify(result.problems)}`);
  return result;
}

const loadedDefault = loadDefault();
export const defaultRulebook: Rulebook = loadedDefault.rulebook;

/** DESIGN section 4, row by row: type, category, points, expiry in days, cap. */
export const designRules = [
  ["traffic.red_light", "traffic", -10, 365, undefined],
  ["traffic.jaywalking", "traffic", -5, 365, undefined],
  ["traffic.drunk_driving", "traffic", -100, 1095, undefined],
  ["public.littering", "public_order", -10, 365, undefined],
  ["public.queue_jumping", "public_order", -5, 180, undefined],
  ["finance.payment_default", "finance", -50, 1095, undefined],
  ["finance.court_judgment_unpaid", "finance", -100, 1825, undefined],
  ["finance.loan_repaid_on_time", "finance", 5, 730, { points: 20, windowDays: 365 }],
  ["commerce.healthy_purchase", "commerce", 1, 365, { points: 10, windowDays: 30 }],
  ["online.gaming_excess", "online_conduct", -3, 90, { points: -30, windowDays: 30 }],
  ["civic.volunteering", "civic", 10, 730, { points: 50, windowDays: 30 }],
  ["civic.blood_donation", "civic", 30, 730, undefined],
  ["civic.heroic_act", "civic", 30, 1825, undefined],
  ["utilities.illegal_tapping", "utilities", -50, 1095, undefined],
  ["utilities.unpaid_bill", "utilities", -20, 730, undefined],
] as const;

/** The seed article's examples that the charter rules out (DESIGN section 2, last paragraph). */
export const seedExamples = [
  {
    what: "a bonus for reading the party newspaper",
    typeName: "reads_party_newspaper",
    points: 5,
    description: "Read the party newspaper every day.",
  },
  {
    what: "a deduction for criticising the country on social media",
    typeName: "criticised_country_online",
    points: -50,
    description: "Criticised the country on social media.",
  },
  {
    what: "a deduction for watching pornography",
    typeName: "watched_pornography",
    points: -10,
    description: "Watched pornography online.",
  },
  {
    what: "parents' scores deciding children's university places",
    typeName: "parents_score_for_admission",
    points: -20,
    description: "Parents' low scores bar their children from university places.",
  },
  {
    what: "city-wide face identification",
    typeName: "face_identified_in_crowd",
    points: -5,
    description: "Identified in a crowd by city-wide face identification cameras.",
  },
  {
    what: "in-store face tracking for advertising",
    typeName: "in_store_face_tracking",
    points: 1,
    description: "Tracked by face in a shop to target advertising.",
  },
] as const;

/** A fresh, mutable copy of the default rulebook's validated document. */
export function defaultDocument(): RulebookDocument {
  return structuredClone(loadedDefault.document);
}

export function ruleOf(rulebook: Rulebook, type: string): Rule {
  const rule = rulebook.ruleByType.get(type);
  if (!rule) throw new Error(`no rule for ${type}`);
  return rule;
}

/** Midnight UTC on 1 January 2026: the start of every test calendar. */
export const epoch: Instant = Date.UTC(2026, 0, 1);

export function dayAt(count: number): Instant {
  return epoch + days(count);
}

export function makeEvent(fields: Partial<ConductEvent> = {}): ConductEvent {
  return {
    id: "event-1",
    subject: "citizen-1",
    type: "traffic.red_light",
    occurredAt: epoch,
    evidence: { description: "Camera 12 photo, officer's report" },
    confidence: undefined,
    region: undefined,
    attributes: undefined,
    ...fields,
  };
}

export function itemOf(event: ConductEvent): BatchItem {
  return { event, payloadHash: canonicalPayload(event) };
}

export const agencySource: SourceProfile = {
  id: 1,
  name: "city-police",
  kind: "agency",
  allowedTypes: ["*"],
};

export const cameraSource: SourceProfile = {
  id: 2,
  name: "junction-cameras",
  kind: "camera",
  allowedTypes: ["traffic.*"],
};

export const partnerSource: SourceProfile = {
  id: 3,
  name: "grocer",
  kind: "partner",
  allowedTypes: ["commerce.healthy_purchase", "finance.*"],
};

export function lineOf(entry: AcceptedEntry, status: StoredStatus = entry.priced.status) {
  const { points, effectiveAt, expiresAt } = entry.priced;
  return { points, status, effectiveAt, expiresAt } satisfies LedgerLine;
}

/**
 * What a store does around `planBatch`, in memory, for one source: remembers accepted events by
 * id, hands out entry ids, and answers cap queries from the entries that hold cap room.
 */
export class MemoryLedger {
  readonly storedEvents = new Map<string, StoredEvent>();
  readonly entries: AcceptedEntry[] = [];
  /** Current state of each entry, by entry id; transitions change it. */
  readonly states = new Map<number, EntryState>();
  nextEntryId = 1;

  constructor(
    readonly rulebook: Rulebook,
    readonly subjectIds: ReadonlyMap<string, number>,
    readonly source: SourceProfile = agencySource,
  ) {}

  ingest(items: readonly BatchItem[], receivedAt: Instant): BatchPlan {
    const plan = planBatch(items, {
      source: this.source,
      rulebook: this.rulebook,
      rulebookVersion: 1,
      receivedAt,
      firstEntryId: this.nextEntryId,
      storedEvents: this.storedEvents,
      subjectIds: this.subjectIds,
      storedAwards: (subjectId, type) => this.awards(subjectId, type),
    });
    for (const entry of plan.accepted) {
      this.storedEvents.set(entry.event.id, {
        payloadHash: entry.payloadHash,
        entryId: entry.entryId,
      });
      this.entries.push(entry);
      this.states.set(entry.entryId, initialState(entry.priced.status));
    }
    this.nextEntryId += plan.accepted.length;
    return plan;
  }

  /** Awards of a subject and type that hold cap room, as a store's query would return them. */
  awards(subjectId: number, type: string): Award[] {
    return this.entries
      .filter(
        (entry) =>
          entry.subjectId === subjectId &&
          entry.rule.type === type &&
          entry.priced.points !== 0 &&
          holdsCapRoom(this.status(entry)),
      )
      .map((entry) => ({ occurredAt: entry.event.occurredAt, points: entry.priced.points }));
  }

  status(entry: AcceptedEntry): StoredStatus {
    return this.states.get(entry.entryId)?.status ?? entry.priced.status;
  }

  /** Applies a review or appeal transition to an entry; false when the state refuses it. */
  transition(entryId: number, kind: TransitionKind): boolean {
    const state = this.states.get(entryId);
    if (!state) return false;
    const next = applyTransition(state, kind);
    if (next.ok) this.states.set(entryId, next.state);
    return next.ok;
  }

  lines(subjectId?: number): LedgerLine[] {
    return this.entries
      .filter((entry) => subjectId === undefined || entry.subjectId === subjectId)
      .map((entry) => lineOf(entry, this.status(entry)));
  }
}

/** The 1-based number of the first (or last) line of `text` that contains `needle`. */
export function lineNumberOf(text: string, needle: string, which: "first" | "last" = "first") {
  const lines = text.split("\n");
  const matches = (line: string) => line.includes(needle);
  const index = which === "first" ? lines.findIndex(matches) : lines.findLastIndex(matches);
  if (index < 0) throw new Error(`'${needle}' not in text`);
  return index + 1;
}

export const streamSubjects = ["s-1", "s-2", "s-3"] as const;
export const streamSubjectIds: ReadonlyMap<string, number> = new Map(
  streamSubjects.map((subject, index) => [subject, index + 1]),
);
const cappedTypes = defaultRulebook.rules.filter((rule) => rule.cap).map((rule) => rule.type);
const allTypes = defaultRulebook.rules.map((rule) => rule.type);

export type StreamOptions = Readonly<{
  /** The receiver's clock; events fall in the `spanDays` before it, a few slightly after. */
  receivedAt: Instant;
  lengthMax?: number;
  types?: readonly string[];
  /** Include unknown subjects and types, which are refused. */
  withRefusals?: boolean;
}>;

/**
 * Streams of conduct reports in arrival order: random subjects (mostly one), types of the default
 * rulebook (mostly one capped type per stream, so caps fill), times crowded into a few days or
 * spread over a year, confidences around the camera threshold, exact repeats and reused ids.
 */
export function conductStream(options: StreamOptions): fc.Arbitrary<BatchItem[]> {
  const lengthMax = options.lengthMax ?? 40;
  const types = options.types ?? allTypes;
  const focusTypes = types.filter((type) => cappedTypes.includes(type));
  const refusals = options.withRefusals ?? false;
  const shape = fc.record({
    idNumber: fc.nat({ max: lengthMax * 3 }),
    subjectRoll: fc.nat({ max: 99 }),
    typeRoll: fc.nat({ max: 99 }),
    daysBefore: fc.nat({ max: 1_000 }),
    millisecond: fc.oneof(fc.constant(0), fc.nat({ max: 86_399_999 })),
    confidence: fc.option(fc.constantFrom(0.5, 0.8999, 0.9, 1), { nil: undefined, freq: 3 }),
  });
  return fc
    .record({
      spanDays: fc.constantFrom(3, 30, 120, 500),
      focus: fc.constantFrom(...(focusTypes.length > 0 ? focusTypes : types)),
      pool: fc.array(shape, { minLength: 1, maxLength: lengthMax, size: "max" }),
      repeats: fc.array(fc.record({ at: fc.nat(), of: fc.nat() }), { maxLength: lengthMax / 4 }),
    })
    .map(({ spanDays, focus, pool, repeats }) => {
      // Every event of the pool once, in pool order, with exact repeats slipped in.
      const order = pool.map((_, index) => index);
      for (const { at, of } of repeats) order.splice(at % (order.length + 1), 0, of % pool.length);
      return order.map((index) => {
        const chosen = pool[index];
        if (!chosen) throw new Error("empty pool");
        const { subjectRoll, typeRoll } = chosen;
        const subject =
          refusals && subjectRoll >= 95
            ? "s-unknown"
            : subjectRoll < 60
              ? "s-1"
              : (streamSubjects[subjectRoll % streamSubjects.length] as string);
        const type =
          refusals && typeRoll >= 95
            ? "traffic.speeding"
            : typeRoll < 60
              ? focus
              : (types[typeRoll % types.length] as string);
        const day =
          Math.floor(options.receivedAt / millisecondsPerDay) - (chosen.daysBefore % spanDays);
        return itemOf(
          makeEvent({
            id: `e${chosen.idNumber}`,
            subject,
            type,
            occurredAt: day * millisecondsPerDay + chosen.millisecond,
            confidence: chosen.confidence,
          }),
        );
      });
    });
}
