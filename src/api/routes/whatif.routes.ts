import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ratings } from "../../core/rating.js";
import { parseRulebook, rulebookBytesMax } from "../../core/rulebook.parse.js";
import { mostAffectedCountDefault, mostAffectedCountMax } from "../../core/whatif.js";
import { whatIf } from "../../ledger/whatif.js";
import { whatIfJson } from "../../ledger/whatif.view.js";
import { audit } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";

/** A replay holds the whole history in memory for a while: one at a time per process. */
export const whatIfRunningMax = 1;

const count = z.number().int();
const countsByRating = z.object({ AAA: count, AA: count, A: count, B: count, C: count, D: count });
const matrixSchema = z
  .object({
    AAA: countsByRating,
    AA: countsByRating,
    A: countsByRating,
    B: countsByRating,
    C: countsByRating,
    D: countsByRating,
  })
  .describe("subjects by their rating now (outer key) and under the draft (inner key)");

const reportSchema = z
  .object({
    at: timeSchema,
    rulebooks: z.object({
      now: z.object({ version: count, title: z.string() }),
      draft: z.object({ title: z.string() }),
    }),
    subjects: count,
    events: count,
    replay: z
      .object({ priced: count, capped: count, unpriced: count })
      .describe(
        "the draft's pricing of the stored events; unpriced: no rule, rejected or reversed",
      ),
    moves: z.object({ up: count, down: count, unchanged: count }),
    matrix: matrixSchema,
    regions: z.array(
      z.object({
        region: z.string(),
        subjects: count,
        up: count,
        down: count,
        matrix: matrixSchema,
      }),
    ),
    rules: z
      .array(
        z.object({
          type: z.string(),
          pointsNow: count.nullable(),
          pointsDraft: count.nullable(),
          events: count,
          pointsChange: count,
          subjectsChanged: count,
          movedUp: count,
          movedDown: count,
        }),
      )
      .describe("per event type; a move counts for each rule that pushed the score its way"),
    policyMoves: z
      .object({ up: count, down: count })
      .describe("moves no rule pushed: the base score or the thresholds did"),
    mostAffected: z.array(
      z.object({
        subjectId: z.string(),
        region: z.string(),
        scoreNow: count,
        scoreDraft: count,
        scoreChange: count,
        ratingNow: z.enum(ratings),
        ratingDraft: z.enum(ratings),
      }),
    ),
  })
  .meta({ id: "WhatIfReport" });

const whatIfBodySchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(rulebookBytesMax)
    .describe("the draft rulebook in YAML, like rulebooks/default.yaml"),
  at: timeSchema.optional().describe("compare the scores at this time; default now"),
  top: z
    .number()
    .int()
    .min(0)
    .max(mostAffectedCountMax)
    .optional()
    .describe(
      `how many of the most affected subjects to list (default ${mostAffectedCountDefault})`,
    ),
});

/** The policy lab for admins: what a draft rulebook would do, without publishing or writing it. */
export const whatIfRoutes: FastifyPluginAsyncZod = async (app) => {
  let running = 0;

  app.post(
    "/v1/whatif",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Replay the stored history under a draft rulebook: who would change rating",
        description:
          "The draft is compiled like a publication and refused the same way (422, with the compiler's located messages). The stored events are priced again by the draft, keeping what reviews and appeals decided, and every subject's rating now is compared with the draft's. The ledger is only read; the run is written to the audit log.",
        security: bearerSecurity,
        body: whatIfBodySchema,
        response: {
          200: successResponse(reportSchema, "What would change: nothing is stored"),
          ...problemResponses(...bodyErrors, "forbidden", "unprocessable", "not_ready"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const parsed = parseRulebook(request.body.text, "rulebook");
      if (!parsed.ok) {
        await audit(app, principal, "rulebook.whatif.refuse", "rulebook", {
          problems: parsed.problems.length,
        });
        throw new ApiError(
          "unprocessable",
          `the draft rulebook has ${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}`,
          { problems: parsed.problems },
        );
      }
      // Checked and taken before the first await, so that two requests cannot both pass.
      if (running >= whatIfRunningMax) {
        throw new ApiError("rate_limited", "a what-if replay is running; try again when it ends");
      }
      running++;
      try {
        if (!(await store.currentRulebook())) {
          throw new ApiError("not_ready", "no rulebook is published yet: nothing to compare with");
        }
        const at = request.body.at === undefined ? clock() : Date.parse(request.body.at);
        const report = await whatIf(store, {
          draft: parsed.rulebook,
          at,
          mostAffectedCount: request.body.top,
        });
        await audit(app, principal, "rulebook.whatif", "rulebook", {
          title: parsed.rulebook.title,
          subjects: report.subjects,
          movedUp: report.movedUp,
          movedDown: report.movedDown,
        });
        return whatIfJson(report);
      } finally {
        running--;
      }
    },
  );
};
