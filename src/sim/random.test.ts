import { describe, expect, it } from "vitest";
import { SeededRandom, seedMax } from "./random.js";

const draws = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => random.next());

describe("SeededRandom", () => {
  it("draws the same numbers from the same seed, and others from another", () => {
    expect(draws(new SeededRandom(42), 5)).toEqual(draws(new SeededRandom(42), 5));
    expect(draws(new SeededRandom(42), 5)).not.toEqual(draws(new SeededRandom(43), 5));
  });

  it("forks streams that depend only on the seed and the label", () => {
    const first = new SeededRandom(7);
    const second = new SeededRandom(7);
    draws(second, 100);
    expect(draws(first.fork("conduct"), 3)).toEqual(draws(second.fork("conduct"), 3));
    expect(draws(first.fork("conduct"), 3)).not.toEqual(draws(first.fork("appeals"), 3));
  });

  it("stays in range", () => {
    const random = new SeededRandom(1);
    let outside = 0;
    const wholes = new Set<number>();
    for (let index = 0; index < 10_000; index++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside++;
      wholes.add(random.between(3, 5));
    }
    expect(outside).toBe(0);
    expect([...wholes].sort()).toEqual([3, 4, 5]);
  });

  it("skips like a Bernoulli process: the mean gap is (1 - p) / p", () => {
    const random = new SeededRandom(3);
    const probability = 0.01;
    let total = 0;
    const count = 20_000;
    for (let index = 0; index < count; index++) total += random.skip(probability);
    expect(total / count).toBeGreaterThan(95);
    expect(total / count).toBeLessThan(103);
    expect(random.skip(0)).toBe(Number.POSITIVE_INFINITY);
    expect(random.skip(1)).toBe(0);
  });

  it("draws by weight", () => {
    const random = new SeededRandom(5);
    const counts = [0, 0, 0];
    for (let index = 0; index < 30_000; index++) {
      const drawn = random.weighted([1, 0, 3]);
      counts[drawn] = (counts[drawn] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / (counts[0] as number)).toBeCloseTo(3, 0);
  });

  it("refuses seeds that are not 32-bit whole numbers", () => {
    for (const seed of [-1, 1.5, seedMax + 1, Number.NaN]) {
      expect(() => new SeededRandom(seed)).toThrow(/seed/);
    }
  });
});
