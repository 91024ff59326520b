import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ratings } from "../../core/rating.js";
import { formatInstant } from "../../core/time.js";
import { requireRole } from "../auth/principal.js";
import { problemResponses, timeSchema } from "../responses.js";

const statisticsSchema = z.object({
  at: timeSchema,
  counts: z.object({
    subjects: z.number().int(),
    sources: z.number().int(),
    entries: z.number().int(),
  }),
  ratingsByRegion: z.array(
    z.object({ region: z.string(), rating: z.enum(ratings), subjects: z.number().int() }),
  ),
  entriesByType: z.array(
    z.object({ type: z.string(), entries: z.number().int(), points: z.number().int() }),
  ),
  appealsBySource: z.array(
    z.object({
      source: z.string(),
      entries: z.number().int(),
      appeals: z.number().int(),
      reversed: z.number().int(),
    }),
  ),
});

/** Admins read the aggregate figures: ratings by region, events by type, appeals by source. */
export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/v1/statistics",
    {
      schema: {
        tags: ["admin"],
        summary: "Rating distribution by region, entries by type, appeals per source (admin key)",
        security: [{ bearer: [] }],
        response: { 200: statisticsSchema, ...problemResponses("forbidden") },
      },
    },
    async (request) => {
      requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const at = clock();
      const [statistics, counts] = await Promise.all([store.statistics(at), store.counts()]);
      return {
        at: formatInstant(at),
        counts,
        ratingsByRegion: statistics.ratingsByRegion.map((row) => ({
          ...row,
          rating: row.rating as (typeof ratings)[number],
        })),
        entriesByType: [...statistics.entriesByType],
        appealsBySource: [...statistics.appealsBySource],
      };
    },
  );
};
