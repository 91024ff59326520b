import { type PersonaName, personaNames, personas } from "./personas.js";
import type { SeededRandom } from "./random.js";

/** Limits of one simulated city. */
export const subjectsMax = 10_000_000;
export const regionsMax = 100;

/** The trial regions' names; a city with more regions numbers the rest. */
const regionNames = [
  "harbour",
  "old-town",
  "riverside",
  "hillside",
  "market",
  "university",
  "airport",
  "lakeside",
  "industrial",
  "garden",
  "east-gate",
  "west-gate",
];

export function regionName(index: number): string {
  return regionNames[index] ?? `region-${String(index + 1).padStart(2, "0")}`;
}

/**
 * The enrolled people, column by column: subject `index` has the id `ids[index]`, lives in
 * region `region[index]` and behaves like persona `persona[index]`.
 */
export type Population = Readonly<{
  ids: readonly string[];
  regions: readonly string[];
  region: Uint16Array;
  persona: Uint8Array;
  /** Subject indexes by persona index, ascending. */
  byPersona: readonly Int32Array[];
  indexOf: (id: string) => number | undefined;
}>;

export type PopulationOptions = Readonly<{
  subjects: number;
  regions: number;
  /** Prefix of subject ids, e.g. to keep runs against one server apart. */
  idPrefix?: string;
}>;

export function subjectId(index: number, subjects: number, idPrefix = ""): string {
  const width = Math.max(6, String(subjects).length);
  return `${idPrefix}c-${String(index + 1).padStart(width, "0")}`;
}

/** Draws each person's region (uniformly) and persona (by the personas' shares). */
export function createPopulation(options: PopulationOptions, random: SeededRandom): Population {
  const { subjects, regions, idPrefix = "" } = options;
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > subjectsMax) {
    throw new Error(`subjects must be a whole number from 1 to ${subjectsMax}, not ${subjects}`);
  }
  if (!Number.isInteger(regions) || regions < 1 || regions > regionsMax) {
    throw new Error(`regions must be a whole number from 1 to ${regionsMax}, not ${regions}`);
  }
  const region = new Uint16Array(subjects);
  const persona = new Uint8Array(subjects);
  const weights = personas.map((candidate) => candidate.share);
  const counts = new Array<number>(personaNames.length).fill(0);
  const ids: string[] = new Array(subjects);
  for (let index = 0; index < subjects; index++) {
    ids[index] = subjectId(index, subjects, idPrefix);
    region[index] = random.below(regions);
    const drawn = random.weighted(weights);
    persona[index] = drawn;
    counts[drawn] = (counts[drawn] as number) + 1;
  }
  const byPersona = counts.map((count) => new Int32Array(count));
  const filled = new Array<number>(personaNames.length).fill(0);
  for (let index = 0; index < subjects; index++) {
    const drawn = persona[index] as number;
    (byPersona[drawn] as Int32Array)[filled[drawn] as number] = index;
    filled[drawn] = (filled[drawn] as number) + 1;
  }
  const idLength = (ids[0] as string).length;
  const prefixLength = idPrefix.length + 2;
  return {
    ids,
    // Prefixed too: a server's statistics by region then tell this city's people apart.
    regions: Array.from({ length: regions }, (_, index) => `${idPrefix}${regionName(index)}`),
    region,
    persona,
    byPersona,
    indexOf: (id) => {
      if (id.length !== idLength || !id.startsWith(`${idPrefix}c-`)) return undefined;
      const number = Number(id.slice(prefixLength));
      return Number.isInteger(number) && number >= 1 && number <= subjects ? number - 1 : undefined;
    },
  };
}

export function personaOf(population: Population, index: number): PersonaName {
  return personaNames[population.persona[index] as number] as PersonaName;
}
