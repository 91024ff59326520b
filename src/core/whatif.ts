import { type HistoryChunk, replayStatesByStanding } from "./history.js";
import { type Rating, type RatingThresholds, ratings } from "./rating.js";
import type { Rulebook } from "./rulebook.js";
import type { Instant } from "./time.js";
import { type AffectedSubject, MostAffected } from "./whatif.affected.js";
import { DraftReplay } from "./whatif.replay.js";
import { matrixCells, matrixOf, movesOf, ratingCount, TypeTotals } from "./whatif.totals.js";

export type { AffectedSubject } from "./whatif.affected.js";

/** Subjects listed as most affected when the caller names no number, and the most it may name. */
export const mostAffectedCountDefault = 20;
export const mostAffectedCountMax = 1_000;

/** `matrix[now][draft]`: how many subjects hold rating `now` today and `draft` under the draft. */
export type RatingMatrix = Readonly<Record<Rating, Readonly<Record<Rating, number>>>>;

export type RegionMoves = Readonly<{
  region: string;
  subjects: number;
  movedUp: number;
  movedDown: number;
  matrix: RatingMatrix;
}>;

/**
 * What one event type's pricing change does. A rating move counts for every rule whose change
 * pushed the subject's score in the move's direction (more than one rule may drive one move).
 */
export type RuleMoves = Readonly<{
  type: string;
  /** The type's points in the rulebook in force, and in the draft; undefined: no such rule. */
  pointsNow: number | undefined;
  pointsDraft: number | undefined;
  /** Stored events of this type, whatever their status. */
  events: number;
  /** The sum over all subjects of (points counting under the draft - points counting now). */
  pointsChange: number;
  subjectsChanged: number;
  movedUp: number;
  movedDown: number;
}>;

export type WhatIfTallyResult = Readonly<{
  subjects: number;
  events: number;
  /** The draft's replay: events priced, held back by a cap, or without a rule (or voided). */
  priced: number;
  capped: number;
  unpriced: number;
  movedUp: number;
  movedDown: number;
  unchanged: number;
  matrix: RatingMatrix;
  regions: RegionMoves[];
  rules: RuleMoves[];
  /** Moves that no rule's change pushed: the base score or the thresholds did. */
  policyMoves: Readonly<{ movedUp: number; movedDown: number }>;
  mostAffected: AffectedSubject[];
}>;

export type WhatIfTallyOptions = Readonly<{
  /** The rulebook in force: its base score and thresholds give the rating now. */
  live: Rulebook;
  draft: Rulebook;
  at: Instant;
  mostAffectedCount?: number;
}>;

/**
 * The policy lab's arithmetic, fed one history chunk at a time: each subject's score now (the
 * base plus the live points counting at `at`) beside its score when the same events are priced
 * by the draft (as `replayScores` prices them), and the moves between ratings, by region and by rule. Pure: the
 * caller streams the chunks from a store.
 */
export class WhatIfTally {
  private readonly live: Rulebook;
  private readonly draft: Rulebook;
  private readonly stateOfStanding: Uint8Array;
  private readonly mostAffected: MostAffected;
  private regions: readonly string[] = [];
  private types: readonly string[] = [];
  private ruleOfType = new Int32Array(0);
  /** Per region, a matrix of counts (`ratingCount` squared). */
  private regionMatrices = new Float64Array(0);
  private readonly typeTotals = new TypeTotals();
  private readonly replay: DraftReplay;
  private subjects = 0;
  private events = 0;
  private priced = 0;
  private policyUp = 0;
  private policyDown = 0;

  constructor({
    live,
    draft,
    at,
    mostAffectedCount = mostAffectedCountDefault,
  }: WhatIfTallyOptions) {
    if (!Number.isInteger(mostAffectedCount) || mostAffectedCount < 0) {
      throw new Error(`mostAffectedCount must be a whole number, not ${mostAffectedCount}`);
    }
    this.live = live;
    this.draft = draft;
    this.mostAffected = new MostAffected(Math.min(mostAffectedCount, mostAffectedCountMax));
    this.stateOfStanding = replayStatesByStanding();
    this.replay = new DraftReplay(draft, at);
  }

  add(chunk: HistoryChunk): void {
    this.learnNames(chunk);
    const { events, subjects } = chunk;
    const tables = {
      ruleOfType: this.ruleOfType,
      stateOfStanding: this.stateOfStanding,
      totals: this.typeTotals,
    };
    const { replay } = this;
    const unpricedBefore = replay.unpriced;
    let cursor = 0;
    for (let subject = 0; subject < subjects.count; subject++) {
      cursor = replay.subject(events, cursor, subject, tables);
      this.compareSubject(chunk, subject, replay.liveSum, replay.draftScore);
    }
    if (cursor !== events.length) {
      throw new Error(`history chunk has events of no listed subject from ${cursor}`);
    }
    this.priced += events.length - (replay.unpriced - unpricedBefore);
    this.events += events.length;
    this.subjects += subjects.count;
  }

  result(): WhatIfTallyResult {
    const total = new Float64Array(matrixCells);
    const regions = this.regions.map((region, regionIndex) => {
      const cells = this.regionMatrices.subarray(
        regionIndex * matrixCells,
        (regionIndex + 1) * matrixCells,
      );
      cells.forEach((count, cell) => {
        total[cell] = (total[cell] as number) + count;
      });
      return { region, ...movesOf(cells), matrix: matrixOf(cells) };
    });
    const moves = movesOf(total);
    return {
      subjects: this.subjects,
      events: this.events,
      priced: this.priced,
      capped: this.replay.capped,
      unpriced: this.replay.unpriced,
      movedUp: moves.movedUp,
      movedDown: moves.movedDown,
      unchanged: moves.subjects - moves.movedUp - moves.movedDown,
      matrix: matrixOf(total),
      regions: regions.filter((row) => row.subjects > 0),
      rules: this.ruleRows(),
      policyMoves: { movedUp: this.policyUp, movedDown: this.policyDown },
      mostAffected: this.mostAffected.list(),
    };
  }

  /** One subject: its score now and under the draft, and which rules moved it. */
  private compareSubject(
    chunk: HistoryChunk,
    subject: number,
    liveSum: number,
    scoreDraft: number,
  ): void {
    const scoreNow = this.live.baseScore + liveSum;
    const rankNow = ratingRank(scoreNow, this.live.ratingThresholds);
    const rankDraft = ratingRank(scoreDraft, this.draft.ratingThresholds);
    const region = chunk.subjects.regionIndex[subject] as number;
    const cell = region * matrixCells + rankNow * ratingCount + rankDraft;
    this.regionMatrices[cell] = (this.regionMatrices[cell] as number) + 1;
    // A better rating has a lower rank.
    const direction = Math.sign(rankNow - rankDraft);
    const pushed = this.typeTotals.endSubject(direction);
    if (direction !== 0 && !pushed) {
      if (direction > 0) this.policyUp++;
      else this.policyDown++;
    }
    const internalId = chunk.subjects.internalIds[subject] as number;
    const steps = Math.abs(rankNow - rankDraft);
    const points = Math.abs(scoreDraft - scoreNow);
    if (steps + points > 0 && this.mostAffected.admits(steps, points, internalId)) {
      this.mostAffected.add({
        internalId,
        region: this.regions[region] as string,
        scoreNow,
        scoreDraft,
        ratingNow: ratings[rankNow] as Rating,
        ratingDraft: ratings[rankDraft] as Rating,
      });
    }
  }

  /** Keeps the index-to-name tables; a stream only ever adds names at the end. */
  private learnNames(chunk: HistoryChunk): void {
    if (chunk.types !== this.types) {
      this.types = chunk.types;
      this.ruleOfType = Int32Array.from(
        chunk.types,
        (type) => this.draft.ruleByType.get(type)?.index ?? -1,
      );
      this.typeTotals.grow(chunk.types.length);
    }
    if (chunk.regions !== this.regions) {
      this.regions = chunk.regions;
      const cells = chunk.regions.length * matrixCells;
      if (cells > this.regionMatrices.length) {
        const grown = new Float64Array(cells);
        grown.set(this.regionMatrices);
        this.regionMatrices = grown;
      }
    }
  }

  private ruleRows(): RuleMoves[] {
    const named = new Set<string>([
      ...this.types,
      ...this.live.rules.map((rule) => rule.type),
      ...this.draft.rules.map((rule) => rule.type),
    ]);
    return [...named].sort().map((type) => {
      const typeIndex = this.types.indexOf(type);
      return {
        type,
        pointsNow: this.live.ruleByType.get(type)?.points,
        pointsDraft: this.draft.ruleByType.get(type)?.points,
        ...this.typeTotals.row(typeIndex),
      };
    });
  }
}

/** 0 for AAA ... 5 for D, as `ratings` lists them. */
export function ratingRank(score: number, thresholds: RatingThresholds): number {
  if (score >= thresholds.AAA) return 0;
  if (score >= thresholds.AA) return 1;
  if (score >= thresholds.A) return 2;
  if (score >= thresholds.B) return 3;
  if (score >= thresholds.C) return 4;
  return 5;
}
