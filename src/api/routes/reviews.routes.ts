import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { storedStatuses } from "../../core/entry.js";
import { rulebooksOf } from "../../ledger/citizen.entries.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { limitQuerySchema } from "../fields.js";
import { bearerSecurity, bodyErrors, problemResponses, successResponse } from "../responses.js";
import { decisionReasonSchema, presentReviewEntry, reviewEntrySchema } from "./review.schemas.js";

const tags = ["reviewers"];

const reviewBodySchema = z.strictObject({
  decision: z.enum(["confirm", "reject"]),
  reason: decisionReasonSchema,
});

const reviewParamsSchema = z.strictObject({ entryId: z.coerce.number().int().min(1) });

/**
 * Charter item 4: automatic attributions below the confidence threshold never count until a
 * human reviewer confirms them. Reviewers see them with evidence and confidence, and decide.
 */
export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, clock } = app.dependencies;

  app.get(
    "/v1/reviews",
    {
      config: { roles: ["reviewer"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Entries waiting for a human reviewer, oldest first (reviewer key)",
        querystring: limitQuerySchema,
        response: {
          200: successResponse(
            z.object({
              cameraConfidenceMin: z.number().describe("attributions below this wait for review"),
              entries: z.array(reviewEntrySchema),
            }),
            "Entries waiting for review, oldest first",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["reviewer"]);
      const [entries, published] = await Promise.all([
        store.pendingReviews(request.query.limit),
        store.currentRulebook(),
      ]);
      if (!published) throw new Error("no rulebook is published");
      const rulebooks = await rulebooksOf(store, entries);
      return {
        cameraConfidenceMin: published.rulebook.cameraConfidenceMin,
        entries: entries.map((entry) => presentReviewEntry(entry, rulebooks)),
      };
    },
  );

  app.post(
    "/v1/reviews/:entryId",
    {
      config: { roles: ["reviewer"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Confirm or reject an entry waiting for review, with a reason (reviewer key)",
        description:
          "Confirmed, the entry counts from then on; rejected, it never counts. The decision names the reviewer.",
        params: reviewParamsSchema,
        body: reviewBodySchema,
        response: {
          200: successResponse(
            z.object({ entryId: z.number().int(), status: z.enum(storedStatuses) }),
            "Decided: the entry's new status",
          ),
          ...problemResponses(...bodyErrors, "forbidden", "not_found", "conflict"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["reviewer"]);
      const { entryId } = request.params;
      if (!(await store.entry(entryId))) throw new ApiError("not_found", `no entry ${entryId}`);
      const outcome = await store.applyTransition(entryId, {
        kind: request.body.decision === "confirm" ? "confirmed" : "rejected",
        actor: principal.name,
        at: clock(),
        reason: request.body.reason,
      });
      if (!outcome.ok) throw new ApiError("conflict", outcome.reason);
      return { entryId, status: outcome.status };
    },
  );
};
