import type Database from "better-sqlite3";
import { type BaseSegmentRow, BaseSegmentWriter, type Round } from "./sqlite.history.base.js";
import { HistoryRows } from "./sqlite.history.packing.js";
import type { RawEvents } from "./sqlite.history.raw.js";
import { sortOrder } from "./sqlite.history.raw.js";
import { type RecentCache, RecentSegments } from "./sqlite.history.recent.js";
import { encodeSegment, segmentsReadable } from "./sqlite.history.segment.js";

/**
 * How the columnar copy of the history is kept. Entries are sealed in id order into recent
 * segments, one per `recentSegmentEntries` ids; rounds merge the recent segments (and the
 * changes logged since) into base segments, one per range of subjects, so that a replay reads
 * each subject's events from one place. A round rewrites the base, a segment per step.
 */
export type SealLimits = Readonly<{
  /** Ids per recent segment: one is sealed once this many ids are past the sealed ones. */
  recentSegmentEntries: number;
  /** Events a base segment aims at; a rebuilt one past twice this is cut. */
  baseSegmentEvents: number;
  /** Subject ids a base segment spans at most. */
  baseSegmentSubjectsMax: number;
  /** A round starts when the recent segments hold this many events or more... */
  roundRecentEventsMin: number;
  /** ...and at least the base's events divided by this (each round rewrites the base)... */
  roundBaseDivisor: number;
  /** ...or when this many changes are logged, or this many subject ids are not covered. */
  roundChangesMax: number;
  roundUncoveredSubjectsMax: number;
}>;

/**
 * A recent segment costs the ingest path one read of 65,536 rows (about a tenth of a second) per
 * 65,536 entries; a round step rewrites about 65,536 events (a base segment holds up to twice
 * that). A step merges its segments from their encoded columns into the new one, about 20 bytes
 * an event while it builds (`SegmentBuilder`): measured on `civic ingest` of a million events,
 * the largest step (the first round's, 262,144 events cut into pieces) took the array buffers
 * from 1 to 18 MB, where decoding the segments into full columns first took them to 49. Rounds
 * come when the recent segments hold an eighth of the base: every entry is rewritten about eight
 * times as the ledger grows tenfold, and a replay merges at most that eighth event by event.
 */
export const sealLimitsDefault: SealLimits = {
  recentSegmentEntries: 65_536,
  baseSegmentEvents: 65_536,
  baseSegmentSubjectsMax: 131_072,
  roundRecentEventsMin: 262_144,
  roundBaseDivisor: 8,
  roundChangesMax: 65_536,
  roundUncoveredSubjectsMax: 65_536,
};

/** A bound on `sealAll`'s steps: far above what any ledger needs, so a loop cannot run away. */
const sealStepsMax = 10_000_000;

export type SealWork = "none" | "recent" | "base" | "extend" | "close";

type Pulse = Readonly<{ entryIdMax: number; subjectIdMax: number; changeSpan: number }>;

/** The `history_state` row (migration 3). */
export type HistoryState = Readonly<{
  /** Every entry with an id up to this is in a segment (recent or base). */
  sealed_through: number;
  /** The base segments cover the subject ids below this. */
  subjects_end: number;
  round: number;
  round_open: number;
  /** What the open round merges: recent segments through this id, changes through this one. */
  round_entries_through: number;
  round_changes_through: number;
  /** The open round extends the base up to this subject id. */
  round_subjects_end: number;
}>;

/**
 * Keeps the columnar copy of the history (migration 3) up to date. `step` runs inside the
 * caller's write transaction (the ingest path calls it once a batch); `sealAll` brings the copy
 * fully up to date, for maintenance and bulk loads. Readers never depend on it being current:
 * what is not sealed, or changed since, they read from rows.
 */
export class HistorySealer {
  private readonly rows: HistoryRows;
  private readonly recent: RecentSegments;
  private readonly base: BaseSegmentWriter;
  private readonly statements;
  private sizesKnown: { key: string; recent: number; base: number } | undefined;

  constructor(
    private readonly database: Database.Database,
    private readonly limits: SealLimits = sealLimitsDefault,
  ) {
    this.rows = new HistoryRows(database);
    this.recent = new RecentSegments(database);
    this.base = new BaseSegmentWriter(database, limits);
    this.statements = {
      state: database.prepare<[], HistoryState>("SELECT * FROM history_state"),
      // What `step` looks at on every batch, in one statement of index lookups only. The log's
      // size is an upper bound, from the ends of its key.
      pulse: database.prepare<[], Pulse>(
        `SELECT (SELECT coalesce(max(id), 0) FROM entries) AS entryIdMax,
           (SELECT coalesce(max(internal_id), 0) FROM subjects) AS subjectIdMax,
           (SELECT coalesce(max(id) - min(id) + 1, 0) FROM history_changes) AS changeSpan`,
      ),
      sizes: database.prepare<[], { recent: number; base: number }>(
        `SELECT (SELECT coalesce(sum(events), 0) FROM history_recent_segments) AS recent,
           (SELECT coalesce(sum(events), 0) FROM history_base_segments) AS base`,
      ),
      insertRecent: database.prepare<[number, number, number, Buffer, Buffer]>(
        `INSERT INTO history_recent_segments (first_entry, last_entry, events, columns, entry_ids)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      deleteRecent: database.prepare<[number]>(
        "DELETE FROM history_recent_segments WHERE last_entry <= ?",
      ),
      nextBase: database.prepare<[number], BaseSegmentRow>(
        `SELECT first_subject, end_subject, sealed_through FROM history_base_segments
         WHERE round < ? ORDER BY first_subject LIMIT 1`,
      ),
      sealThrough: database.prepare<[number]>("UPDATE history_state SET sealed_through = ?"),
      cover: database.prepare<[number]>("UPDATE history_state SET subjects_end = ?"),
      openRound: database.prepare<[number]>(
        `UPDATE history_state SET round = round + 1, round_open = 1,
           round_entries_through = sealed_through,
           round_changes_through = (SELECT coalesce(max(id), 0) FROM history_changes),
           round_subjects_end = max(subjects_end, ?)`,
      ),
      widenRound: database.prepare<[number]>("UPDATE history_state SET round_subjects_end = ?"),
      closeRound: database.prepare("UPDATE history_state SET round_open = 0"),
      trimChanges: database.prepare<[number]>("DELETE FROM history_changes WHERE id <= ?"),
    } as const;
  }

  /**
   * Does one bounded piece of work if one is due, inside the caller's write transaction: seals
   * a recent segment, or takes a round one base segment further. `force` also seals the last
   * ids short of a whole segment and starts a round for anything left.
   */
  step(force = false, cache?: RecentCache): SealWork {
    if (!segmentsReadable) return "none";
    const state = this.state();
    if (state.round_open === 1) return this.roundStep(state, cache);
    const pulse = this.statements.pulse.get() as Pulse;
    const entryIdMax = pulse.entryIdMax;
    const unsealed = entryIdMax - state.sealed_through;
    if (unsealed >= this.limits.recentSegmentEntries || (force && unsealed > 0)) {
      const until = Math.min(entryIdMax, state.sealed_through + this.limits.recentSegmentEntries);
      this.sealRecent(state.sealed_through, until);
      return "recent";
    }
    if (!this.roundDue(state, pulse, force)) return "none";
    this.statements.openRound.run(pulse.subjectIdMax + 1);
    return this.roundStep(this.state(), cache);
  }

  /** Steps until nothing is left, each in a write transaction of its own; returns the steps. */
  sealAll(): number {
    const cache: RecentCache = new Map();
    const once = () => this.step(true, cache);
    for (let steps = 0; steps < sealStepsMax; steps++) {
      const work = this.database.inTransaction
        ? once()
        : this.database.transaction(once).immediate();
      if (work === "none") return steps;
    }
    throw new Error(`the history was not sealed in ${sealStepsMax} steps`);
  }

  state(): HistoryState {
    const state = this.statements.state.get();
    if (!state) throw new Error("the history state row is missing");
    return state;
  }

  /** Seals the entries with ids in (after, until] into a recent segment. */
  private sealRecent(after: number, until: number): void {
    const events = this.rows.idRange({ after, until });
    if (events.length > 0) {
      const order = sortOrder(events);
      const encoded = encodeSegment(events, { ids: distinctSubjects(events, order) }, order);
      this.statements.insertRecent.run(
        after + 1,
        until,
        encoded.events,
        encoded.columns,
        encoded.entryIds,
      );
    }
    this.statements.sealThrough.run(until);
  }

  private roundDue(state: HistoryState, pulse: Pulse, force: boolean): boolean {
    const { recent, base } = this.sizes(state);
    const changes = pulse.changeSpan;
    const { subjectIdMax } = pulse;
    const uncovered = subjectIdMax === 0 ? 0 : Math.max(0, subjectIdMax + 1 - state.subjects_end);
    if (force) return recent > 0 || changes > 0 || uncovered > 0;
    const { limits } = this;
    return (
      recent >= Math.max(limits.roundRecentEventsMin, base / limits.roundBaseDivisor) ||
      changes >= limits.roundChangesMax ||
      uncovered >= limits.roundUncoveredSubjectsMax
    );
  }

  /**
   * Events in the recent and the base segments. They change only with the segments, and every
   * change of segments moves the state (sealed ids, round): read again only then.
   */
  private sizes(state: HistoryState): { recent: number; base: number } {
    const key = `${state.sealed_through}/${state.round}/${state.round_open}/${state.subjects_end}`;
    if (this.sizesKnown?.key !== key) {
      const sizes = this.statements.sizes.get() ?? { recent: 0, base: 0 };
      this.sizesKnown = { key, ...sizes };
    }
    return this.sizesKnown;
  }

  private roundStep(state: HistoryState, cache: RecentCache | undefined): SealWork {
    const round: Round = {
      round: state.round,
      entriesThrough: state.round_entries_through,
      subjectsEnd: state.subjects_end,
      roundSubjectsEnd: state.round_subjects_end,
    };
    const next = this.statements.nextBase.get(state.round);
    if (next) {
      this.base.rebuild(round, next, cache);
      return "base";
    }
    if (state.subjects_end < state.round_subjects_end) {
      this.statements.cover.run(this.base.extend(round, cache));
      return "extend";
    }
    return this.close(state, cache);
  }

  /**
   * Ends a round: the recent segments it merged and the changes it applied are dropped. Should
   * a merged recent segment hold a subject past the round's range (only a writer that skipped
   * foreign keys can make one), the round covers it first.
   */
  private close(state: HistoryState, cache: RecentCache | undefined): SealWork {
    const merged = this.recent
      .list(cache)
      .filter((segment) => segment.lastEntry <= state.round_entries_through);
    let subjectIdMax = 0;
    for (const { view } of merged) {
      subjectIdMax = Math.max(subjectIdMax, view.subjectIds[view.subjectCount - 1] ?? 0);
    }
    if (subjectIdMax >= state.round_subjects_end) {
      this.statements.widenRound.run(subjectIdMax + 1);
      return "extend";
    }
    this.statements.deleteRecent.run(state.round_entries_through);
    for (const segment of merged) cache?.delete(segment.firstEntry);
    this.statements.trimChanges.run(state.round_changes_through);
    this.statements.closeRound.run();
    return "close";
  }
}

/** The subjects of events sorted by subject, or taken in that order through `order`. */
function distinctSubjects(events: RawEvents, order: ArrayLike<number> | undefined): Int32Array {
  const ids: number[] = [];
  for (let event = 0; event < events.length; event++) {
    const subject = events.subjectId[order ? (order[event] as number) : event] as number;
    if (ids.at(-1) !== subject) ids.push(subject);
  }
  return Int32Array.from(ids);
}
