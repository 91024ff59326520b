import { ratings } from "./rating.js";
import type { RatingMatrix } from "./whatif.js";

/** Ratings, and cells of a matrix of rating now against rating under a draft. */
export const ratingCount = ratings.length;
export const matrixCells = ratingCount * ratingCount;

/** Per event type: events, point change, subjects changed and moves driven, over all subjects. */
export class TypeTotals {
  private events = new Float64Array(0);
  private pointsChange = new Float64Array(0);
  private subjectsChanged = new Float64Array(0);
  private movedUp = new Float64Array(0);
  private movedDown = new Float64Array(0);
  /** The current subject's change per type, and the types it touched. */
  private delta = new Int32Array(0);
  private touchedBy = new Int32Array(0);
  /** The types the current subject changed, the first `touchedCount` places. */
  private touched = new Int32Array(0);
  private touchedCount = 0;
  private subjectSerial = 0;

  grow(typeCount: number): void {
    if (typeCount <= this.events.length) return;
    const grow = <T extends Float64Array | Int32Array>(array: T, make: (n: number) => T): T => {
      const grown = make(typeCount);
      grown.set(array);
      return grown;
    };
    const floats = (n: number) => new Float64Array(n);
    const ints = (n: number) => new Int32Array(n);
    this.events = grow(this.events, floats);
    this.pointsChange = grow(this.pointsChange, floats);
    this.subjectsChanged = grow(this.subjectsChanged, floats);
    this.movedUp = grow(this.movedUp, floats);
    this.movedDown = grow(this.movedDown, floats);
    this.delta = grow(this.delta, ints);
    this.touchedBy = grow(this.touchedBy, ints);
    this.touched = grow(this.touched, ints);
  }

  beginSubject(): void {
    this.subjectSerial++;
    this.touchedCount = 0;
  }

  addEvent(type: number, change: number): void {
    this.events[type] = (this.events[type] as number) + 1;
    if (change === 0) return;
    if (this.touchedBy[type] !== this.subjectSerial) {
      this.touchedBy[type] = this.subjectSerial;
      this.delta[type] = 0;
      this.touched[this.touchedCount++] = type;
    }
    this.delta[type] = (this.delta[type] as number) + change;
  }

  /** Books the subject's changes; true when some rule pushed in `direction` (1 up, -1 down). */
  endSubject(direction: number): boolean {
    let pushed = false;
    for (let index = 0; index < this.touchedCount; index++) {
      const type = this.touched[index] as number;
      const change = this.delta[type] as number;
      if (change === 0) continue;
      this.pointsChange[type] = (this.pointsChange[type] as number) + change;
      this.subjectsChanged[type] = (this.subjectsChanged[type] as number) + 1;
      if (direction > 0 && change > 0) {
        this.movedUp[type] = (this.movedUp[type] as number) + 1;
        pushed = true;
      } else if (direction < 0 && change < 0) {
        this.movedDown[type] = (this.movedDown[type] as number) + 1;
        pushed = true;
      }
    }
    return pushed;
  }

  row(type: number) {
    const at = (array: Float64Array) => (type < 0 ? 0 : (array[type] as number));
    return {
      events: at(this.events),
      pointsChange: at(this.pointsChange),
      subjectsChanged: at(this.subjectsChanged),
      movedUp: at(this.movedUp),
      movedDown: at(this.movedDown),
    };
  }
}

export function matrixOf(cells: Float64Array): RatingMatrix {
  return Object.fromEntries(
    ratings.map((now, nowRank) => [
      now,
      Object.fromEntries(
        ratings.map((draft, draftRank) => [draft, cells[nowRank * ratingCount + draftRank] ?? 0]),
      ),
    ]),
  ) as RatingMatrix;
}

/** Subjects in a matrix, and those above (better rating) and below its diagonal. */
export function movesOf(cells: Float64Array): {
  subjects: number;
  movedUp: number;
  movedDown: number;
} {
  let subjects = 0;
  let movedUp = 0;
  let movedDown = 0;
  for (let now = 0; now < ratingCount; now++) {
    for (let draft = 0; draft < ratingCount; draft++) {
      const count = cells[now * ratingCount + draft] as number;
      subjects += count;
      if (draft < now) movedUp += count;
      if (draft > now) movedDown += count;
    }
  }
  return { subjects, movedUp, movedDown };
}
