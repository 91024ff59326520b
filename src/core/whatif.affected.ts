import { type Rating, ratings } from "./rating.js";

/** A subject whose score or rating the draft would change. */
export type AffectedSubject = Readonly<{
  internalId: number;
  region: string;
  scoreNow: number;
  scoreDraft: number;
  ratingNow: Rating;
  ratingDraft: Rating;
}>;

/**
 * The `countMax` subjects most affected by a draft, kept while the subjects stream past: first
 * by how many rating steps they move, then by how many points, then in subject order (so that
 * equal cases list the same people every run).
 */
export class MostAffected {
  private readonly kept: { subject: AffectedSubject; key: ImpactKey }[] = [];

  constructor(private readonly countMax: number) {}

  /**
   * Whether a subject moving `steps` rating steps and `points` points would be kept: asked
   * first, so that the many subjects that would not be cost no allocation.
   */
  admits(steps: number, points: number, internalId: number): boolean {
    if (this.kept.length < this.countMax) return true;
    const last = this.kept.at(-1);
    return last !== undefined && compareImpact(steps, points, internalId, last.key) < 0;
  }

  add(subject: AffectedSubject): void {
    if (this.countMax === 0) return;
    const key = keyOf(subject);
    let place = this.kept.length;
    while (place > 0) {
      const before = (this.kept[place - 1] as { key: ImpactKey }).key;
      if (compareImpact(key.steps, key.points, key.internalId, before) >= 0) break;
      place--;
    }
    this.kept.splice(place, 0, { subject, key });
    if (this.kept.length > this.countMax) this.kept.pop();
  }

  list(): AffectedSubject[] {
    return this.kept.map((kept) => kept.subject);
  }
}

type ImpactKey = Readonly<{ steps: number; points: number; internalId: number }>;

function keyOf(subject: AffectedSubject): ImpactKey {
  return {
    steps: Math.abs(ratings.indexOf(subject.ratingNow) - ratings.indexOf(subject.ratingDraft)),
    points: Math.abs(subject.scoreDraft - subject.scoreNow),
    internalId: subject.internalId,
  };
}

/** Negative when the subject described first is more affected than the one `right` keys. */
function compareImpact(steps: number, points: number, internalId: number, right: ImpactKey) {
  return right.steps - steps || right.points - points || internalId - right.internalId;
}
