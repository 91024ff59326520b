import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { decideOverdueAppeals } from "../../access/appeal.service.js";
import { appealDaysMax } from "../../core/appeal.js";
import { rulebooksOf } from "../../ledger/citizen.entries.js";
import type { EntryRecord } from "../../store/store.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { limitQuerySchema } from "../fields.js";
import { bearerSecurity, bodyErrors, problemResponses, successResponse } from "../responses.js";
import { appealSchema, presentAppeal } from "./citizen.schemas.js";
import { decisionReasonSchema, presentReviewEntry, reviewEntrySchema } from "./review.schemas.js";

const tags = ["reviewers"];

const decisionBodySchema = z.strictObject({
  outcome: z.enum(["upheld", "reversed"]),
  reason: decisionReasonSchema,
});

const appealParamsSchema = z.strictObject({ id: z.coerce.number().int().min(1) });

/**
 * Reviewers decide open appeals, earliest deadline first, with a written reason. An appeal
 * still open at its deadline is decided for the subject: on a schedule by the server, and
 * before these routes answer, so a reviewer never decides an overdue appeal.
 */
export const appealRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, clock } = app.dependencies;

  app.get(
    "/v1/appeals",
    {
      config: { roles: ["reviewer"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Open appeals with their entries, earliest deadline first (reviewer key)",
        description: `An appeal not decided within ${appealDaysMax} days is decided for the subject.`,
        querystring: limitQuerySchema,
        response: {
          200: successResponse(
            z.object({
              appeals: z.array(appealSchema.extend({ entry: reviewEntrySchema.optional() })),
            }),
            "Open appeals, earliest deadline first",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["reviewer"]);
      await decideOverdueAppeals(store, clock());
      const appeals = await store.openAppeals(request.query.limit);
      const entries = (
        await Promise.all(appeals.map((appeal) => store.entry(appeal.entryId)))
      ).filter((entry): entry is EntryRecord => entry !== undefined);
      const byId = new Map(entries.map((entry) => [entry.id, entry]));
      const rulebooks = await rulebooksOf(store, entries);
      return {
        appeals: appeals.map((appeal) => {
          const entry = byId.get(appeal.entryId);
          return {
            ...presentAppeal(appeal),
            entry: entry && presentReviewEntry(entry, rulebooks),
          };
        }),
      };
    },
  );

  app.post(
    "/v1/appeals/:id/decision",
    {
      config: { roles: ["reviewer"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Uphold or reverse an open appeal, with a written reason (reviewer key)",
        description:
          "Reversed, the entry never counts again; upheld, it counts as before the appeal.",
        params: appealParamsSchema,
        body: decisionBodySchema,
        response: {
          200: successResponse(appealSchema, "Decided: the appeal as it is now"),
          ...problemResponses(...bodyErrors, "forbidden", "not_found", "conflict"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["reviewer"]);
      const now = clock();
      await decideOverdueAppeals(store, now);
      const { id } = request.params;
      const appeal = await store.appeal(id);
      if (!appeal) throw new ApiError("not_found", `no appeal ${id}`);
      if (appeal.outcome !== undefined) {
        throw new ApiError(
          "conflict",
          `appeal ${id} is already decided (${appeal.outcome} by ${appeal.decidedBy})`,
        );
      }
      const decided = await store.decideAppeal(id, {
        outcome: request.body.outcome,
        decidedBy: principal.name,
        reason: request.body.reason,
        at: now,
      });
      if ("refused" in decided) throw new ApiError("conflict", decided.refused);
      return presentAppeal(decided);
    },
  );
};
