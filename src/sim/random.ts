/** Seeds are unsigned 32-bit integers: easy to print, type and replay. */
export const seedMax = 2 ** 32 - 1;

/**
 * A seeded generator (xoshiro128**, seeded through splitmix32): the simulator's only source of
 * randomness, so one seed replays a whole run. Each concern forks its own stream by name, so
 * adding draws to one concern leaves the others' draws unchanged.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > seedMax) {
      throw new Error(`a seed is a whole number from 0 to ${seedMax}, not ${seed}`);
    }
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let mixed = state;
      mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
      mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
      return (mixed ^ (mixed >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** A new stream whose draws depend only on this stream's seed and `label`. */
  fork(label: string): SeededRandom {
    let hash = this.seed ^ 0x811c9dc5;
    for (let index = 0; index < label.length; index++) {
      hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193);
    }
    return new SeededRandom(hash >>> 0);
  }

  /** A number in [0, 1). */
  next(): number {
    const result = Math.imul(rotate(Math.imul(this.b, 5), 7), 9) >>> 0;
    const shifted = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= shifted;
    this.d = rotate(this.d, 11);
    return result / 4_294_967_296;
  }

  /** A whole number in [0, count). */
  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** A whole number in [minimum, maximum]. */
  between(minimum: number, maximum: number): number {
    return minimum + this.below(maximum - minimum + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("cannot pick from nothing");
    return items[this.below(items.length)] as T;
  }

  /** An index drawn with the given non-negative weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = this.next() * total;
    for (let index = 0; index < weights.length; index++) {
      target -= weights[index] as number;
      if (target < 0) return index;
    }
    return weights.length - 1;
  }

  /**
   * How many trials fail before the next success of a Bernoulli process with `probability`:
   * walking a population with these skips draws each member with that probability, in time
   * proportional to the draws rather than to the population.
   */
  skip(probability: number): number {
    if (probability <= 0) return Number.POSITIVE_INFINITY;
    if (probability >= 1) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - probability));
  }

  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.below(index + 1);
      const kept = items[index] as T;
      items[index] = items[other] as T;
      items[other] = kept;
    }
    return items;
  }
}

function rotate(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
