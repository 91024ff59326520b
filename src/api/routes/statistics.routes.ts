import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ratings } from "../../core/rating.js";
import { formatInstant } from "../../core/time.js";
import { ratingsOverTimeStepDays } from "../../store/access.store.js";
import { requireRole } from "../auth/principal.js";
import { bearerSecurity, problemResponses, successResponse, timeSchema } from "../responses.js";

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
  ratingsOverTime: z
    .object({
      points: z
        .array(timeSchema)
        .describe(
          `oldest first, every ${ratingsOverTimeStepDays} days back from \`at\`: a year at most, ` +
            "and from no earlier than the last point before the first enrollment",
        ),
      series: z.array(
        z.object({
          region: z.string(),
          rating: z.enum(ratings),
          subjects: z
            .array(z.number().int())
            .describe("people of the region holding the rating at each point"),
        }),
      ),
    })
    .describe(
      "the rating distribution by region over time; a series that is zero throughout is left out",
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

/**
 * Admins read the aggregate figures: ratings by region, now and weekly over the last year,
 * events by type, appeals by source.
 */
export const statisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/v1/statistics",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary:
          "Rating distribution by region, now and over time; entries by type; appeals per source (admin key)",
        security: bearerSecurity,
        response: {
          200: successResponse(statisticsSchema, "The figures at this time"),
          ...problemResponses("forbidden"),
        },
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
        ratingsOverTime: {
          points: statistics.ratingsOverTime.points.map(formatInstant),
          series: statistics.ratingsOverTime.series.map((series) => ({
            region: series.region,
            rating: series.rating as (typeof ratings)[number],
            subjects: [...series.subjects],
          })),
        },
        entriesByType: [...statistics.entriesByType],
        appealsBySource: [...statistics.appealsBySource],
      };
    },
  );
};
