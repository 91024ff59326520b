import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type Rating, ratingOf, ratings } from "../../core/rating.js";
import { scoreAt, scoreTimeline } from "../../core/score.js";
import { days, formatInstant } from "../../core/time.js";
import { benefitProgress } from "../../ledger/score.view.js";
import { ApiError } from "../errors.js";
import { bearerSecurity, problemResponses, successResponse, timeSchema } from "../responses.js";
import { citizenContext, scoreViewOf } from "./citizen.context.js";
import { scorePointSchema } from "./citizen.schemas.js";

/** "Change over the last 30 days" on the citizen's home screen. */
export const recentChangeDays = 30;
/** A score history may reach this far past now: known expiries draw the score's future. */
export const scoreHistoryFutureDaysMax = 5 * 365;

const tags = ["citizens"];
const citizenErrors = problemResponses("forbidden");

const meSchema = z.object({
  subjectId: z.string(),
  region: z.string(),
  enrolledAt: timeSchema,
  asOf: timeSchema,
  rulebookVersion: z.number().int(),
  baseScore: z.number().int(),
  score: z.number().int(),
  rating: z.enum(ratings),
  recentChange: z.object({
    days: z.number().int(),
    since: timeSchema,
    scoreThen: z.number().int(),
    ratingThen: z.enum(ratings),
    points: z.number().int().describe("score now minus score then"),
  }),
  pointsGained: z.number().int().describe("points of the entries that count now, gained"),
  pointsLost: z.number().int().describe("points of the entries that count now, lost"),
  entriesCounting: z.number().int(),
  nextExpiry: z
    .object({ at: timeSchema, entryId: z.number().int(), points: z.number().int() })
    .optional()
    .describe("the next counting entry to expire: the score's next known move"),
  openAppeals: z.number().int(),
});

const benefitStatusSchema = z.object({
  benefitId: z.string(),
  name: z.string(),
  description: z.string(),
  ratingMin: z.enum(ratings),
  eligible: z.boolean(),
  heldDays: z.number().int(),
  requiredDays: z.number().int(),
  heldSince: timeSchema.optional(),
  progress: z.string().describe('e.g. "AAA held 42 of 180 days"'),
});

const scoreHistoryQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe("default: enrollment"),
  to: z.iso.datetime({ offset: true }).optional().describe("default: now"),
});

/** A citizen's own score, its history and benefits. Who looked and the feed: me.feed.routes. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.dependencies;

  app.get(
    "/v1/me",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "My score, rating and recent change (citizen session)",
        response: {
          200: successResponse(
            meSchema,
            "your score and rating now, with the rulebook version they follow",
          ),
          ...citizenErrors,
        },
      },
    },
    async (request) => {
      const context = await citizenContext(app, request);
      const { subject, now, published, appeals } = context;
      const { view, entries } = await scoreViewOf(store, context);
      const since = now - days(recentChangeDays);
      const scoreThen = scoreAt(entries, published.rulebook.baseScore, since);
      const { summary } = view;
      return {
        subjectId: subject.id,
        region: subject.region,
        enrolledAt: formatInstant(subject.enrolledAt),
        asOf: formatInstant(now),
        rulebookVersion: published.version,
        baseScore: view.baseScore,
        score: view.score,
        rating: view.rating,
        recentChange: {
          days: recentChangeDays,
          since: formatInstant(since),
          scoreThen,
          ratingThen: ratingOf(scoreThen, published.rulebook.ratingThresholds),
          points: view.score - scoreThen,
        },
        pointsGained: summary.pointsGained,
        pointsLost: summary.pointsLost,
        entriesCounting: summary.entriesCounting,
        nextExpiry: summary.nextExpiry && {
          ...summary.nextExpiry,
          at: formatInstant(summary.nextExpiry.at),
        },
        openAppeals: appeals.filter((appeal) => appeal.outcome === undefined).length,
      };
    },
  );

  app.get(
    "/v1/me/rating-history",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Every change of my rating since enrollment (citizen session)",
        description:
          "Recomputed from the entries as they stand now: a reversed entry never counted.",
        response: {
          200: successResponse(
            z.object({ history: z.array(scorePointSchema) }),
            "every change of your rating, oldest first",
          ),
          ...citizenErrors,
        },
      },
    },
    async (request) => {
      const { view } = await scoreViewOf(store, await citizenContext(app, request));
      return { history: view.ratingHistory.map(presentPoint) };
    },
  );

  app.get(
    "/v1/me/score-history",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Every move of my score in a time range, for charts (citizen session)",
        description: `The first point is the score at \`from\`, which starts at enrollment or the first reported conduct at the earliest (the answer's \`from\` says where it started). \`to\` may lie up to ${scoreHistoryFutureDaysMax} days ahead: known expiries show where the score goes.`,
        querystring: scoreHistoryQuerySchema,
        response: {
          200: successResponse(
            z.object({ from: timeSchema, to: timeSchema, points: z.array(scorePointSchema) }),
            "your score over the period, as the record stands today",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      const { subject, now, published } = await citizenContext(app, request);
      const asked = request.query.from ? Date.parse(request.query.from) : subject.enrolledAt;
      const to = request.query.to ? Date.parse(request.query.to) : now;
      // Located like the schema's own problems: a form can point at the field.
      const invalid = (path: string, message: string) =>
        new ApiError("validation_failed", `querystring ${path}: ${message}`, {
          issues: [{ path, message }],
        });
      if (asked > to) throw invalid("/from", "must not be after `to`");
      if (to > now + days(scoreHistoryFutureDaysMax)) {
        throw invalid("/to", `may be at most ${scoreHistoryFutureDaysMax} days ahead`);
      }
      // Nothing happened before enrollment or the first reported conduct, whichever came first
      // (a report may be older than the enrollment): the range starts there at the earliest.
      const entries = await store.entries(subject.id);
      const start = entries.reduce(
        (earliest, entry) => Math.min(earliest, entry.effectiveAt),
        subject.enrolledAt,
      );
      const from = Math.min(Math.max(asked, start), to);
      const { rulebook } = published;
      const points = scoreTimeline(
        entries,
        { baseScore: rulebook.baseScore, ratingThresholds: rulebook.ratingThresholds },
        { from, to },
      );
      return { from: formatInstant(from), to: formatInstant(to), points: points.map(presentPoint) };
    },
  );

  app.get(
    "/v1/me/benefits",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Each benefit programme: eligible or not, and progress (citizen session)",
        response: {
          200: successResponse(
            z.object({ benefits: z.array(benefitStatusSchema) }),
            "each benefit programme, whether you qualify, and your progress",
          ),
          ...citizenErrors,
        },
      },
    },
    async (request) => {
      const context = await citizenContext(app, request);
      const { view } = await scoreViewOf(store, context);
      const { published } = context;
      const descriptions = new Map(published.rulebook.benefits.map((b) => [b.id, b.description]));
      return {
        benefits: view.benefits.map((benefit) => ({
          benefitId: benefit.benefitId,
          name: benefit.name,
          description: descriptions.get(benefit.benefitId) ?? "",
          ratingMin: benefit.ratingMin,
          eligible: benefit.eligible,
          heldDays: benefit.heldDays,
          requiredDays: benefit.requiredDays,
          heldSince: benefit.heldSince === undefined ? undefined : formatInstant(benefit.heldSince),
          progress: benefitProgress(benefit),
        })),
      };
    },
  );
};

function presentPoint(point: Readonly<{ at: number; score: number; rating: Rating }>) {
  return { at: formatInstant(point.at), score: point.score, rating: point.rating };
}
