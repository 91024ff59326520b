import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Rating, ratings } from "../core/rating.js";
import { days, type Instant } from "../core/time.js";
import { ratingsOverTimePointsMax } from "./access.store.js";
import { type RatingMoveRow, ratingsOverTimeOf, sampleGrid } from "./ratings-over-time.js";

const at: Instant = Date.parse("2026-06-01T00:00:00Z");
const grid = sampleGrid(at);

type Change = Readonly<{ at: Instant; to: Rating }>;
type Subject = Readonly<{ region: string; changes: readonly Change[] }>;

/** What the adapters' grouped query returns for these subjects' rating logs up to `at`. */
function movesOf(subjects: readonly Subject[]): RatingMoveRow[] {
  const grouped = new Map<string, RatingMoveRow>();
  for (const subject of subjects) {
    subject.changes.forEach((change, index) => {
      if (change.at > at) return;
      const from = index === 0 ? null : (subject.changes[index - 1]?.to ?? null);
      const point = Math.ceil(Math.max(change.at - grid.first, 0) / grid.step);
      const key = `${subject.region}|${from}|${change.to}|${point}`;
      const row = grouped.get(key);
      grouped.set(key, {
        region: subject.region,
        from_rating: from,
        to_rating: change.to,
        point,
        subjects: (row?.subjects ?? 0) + 1,
      });
    });
  }
  return [...grouped.values()];
}

/** The same distribution the slow way: each subject's last rating at or before each point. */
function distributionAt(
  subjects: readonly Subject[],
  point: Instant,
  region: string,
  rating: Rating,
) {
  return subjects.filter(
    (subject) =>
      subject.region === region &&
      subject.changes.filter((change) => change.at <= point).at(-1)?.to === rating,
  ).length;
}

const subjectArbitrary = fc
  .record({
    region: fc.constantFrom("north", "south", "east"),
    enrolledDaysAgo: fc.integer({ min: 0, max: 500 }),
    moves: fc.array(
      fc.record({ afterDays: fc.integer({ min: 0, max: 60 }), to: fc.constantFrom(...ratings) }),
      {
        maxLength: 6,
      },
    ),
    first: fc.constantFrom(...ratings),
  })
  .map(({ region, enrolledDaysAgo, moves, first }): Subject => {
    let time = at - days(enrolledDaysAgo) + 1_234;
    const changes: Change[] = [{ at: time, to: first }];
    for (const move of moves) {
      time += days(move.afterDays);
      // A change always moves to another rating, as the ledger logs it.
      if (move.to !== changes.at(-1)?.to) changes.push({ at: time, to: move.to });
    }
    return { region, changes };
  });

describe("ratings over time", () => {
  it("is each subject's last rating at or before each point, from the counted moves", () => {
    fc.assert(
      fc.property(fc.array(subjectArbitrary, { minLength: 1, maxLength: 30 }), (subjects) => {
        const { points, series } = ratingsOverTimeOf(movesOf(subjects), grid);
        expect(points.at(-1)).toBe(at);
        expect(points.length).toBeLessThanOrEqual(ratingsOverTimePointsMax);
        for (const region of ["east", "north", "south"]) {
          for (const rating of ratings) {
            const expected = points.map((point) => distributionAt(subjects, point, region, rating));
            const found = series.find((row) => row.region === region && row.rating === rating);
            expect(found?.subjects ?? points.map(() => 0), `${region} ${rating}`).toEqual(expected);
          }
        }
        // The first point is the last one before anyone was enrolled, unless the year is full.
        const enrolled = points.map(
          (point) =>
            subjects.filter((subject) => (subject.changes[0]?.at ?? Infinity) <= point).length,
        );
        if (points.length < ratingsOverTimePointsMax) expect(enrolled[0]).toBe(0);
        if (points.length > 1) expect(enrolled[1]).toBeGreaterThan(0);
      }),
    );
  });

  it("refuses moves that are not a chain, and a point outside the grid", () => {
    const move = { region: "north", to_rating: "A", subjects: 1 } as const;
    expect(() => ratingsOverTimeOf([{ ...move, from_rating: "B", point: 3 }], grid)).toThrow(
      /not a chain/,
    );
    expect(() =>
      ratingsOverTimeOf([{ ...move, from_rating: null, point: ratingsOverTimePointsMax }], grid),
    ).toThrow(/outside/);
  });
});
