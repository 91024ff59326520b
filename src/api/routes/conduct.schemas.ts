import { z } from "zod";
import type { EntryRecord } from "../../store/store.js";

/**
 * What a source reported about the conduct besides its evidence, stored with the entry. Every
 * view of an entry for a person (charter item 3) or a reviewer carries it; a partner never sees
 * entries (charter item 5).
 */
export const conductAttributesSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({
    id: "ConductAttributes",
    description:
      'Facts of the conduct as the source reported them, by snake_case name, e.g. `{"speed_kmh": 87}`; absent when it reported none.',
  });

export const conductFactsShape = {
  region: z
    .string()
    .optional()
    .describe("the region the source reported the conduct in; absent when it named none"),
  attributes: conductAttributesSchema.optional(),
};

export function presentConductFacts(entry: EntryRecord): Readonly<{
  region: string | undefined;
  attributes: Record<string, string | number | boolean> | undefined;
}> {
  return {
    region: entry.region,
    attributes: entry.attributes === undefined ? undefined : { ...entry.attributes },
  };
}
