import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatInstant } from "../../core/time.js";
import { requireRole } from "../auth/principal.js";
import { limitQuerySchema } from "../fields.js";
import { bearerSecurity, problemResponses, successResponse, timeSchema } from "../responses.js";

const auditEntrySchema = z.object({
  id: z.number().int(),
  at: timeSchema,
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** Admins read the audit log of every admin action, newest first. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/v1/audit",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "The audit log of admin actions, newest first (admin key)",
        security: bearerSecurity,
        querystring: limitQuerySchema,
        response: {
          200: successResponse(
            z.object({ entries: z.array(auditEntrySchema) }),
            "The latest admin actions, newest first",
          ),
          ...problemResponses("validation_failed", "forbidden"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["admin"]);
      const log = await app.dependencies.store.auditLog(request.query.limit);
      return {
        entries: log.map((record) => ({
          id: record.id,
          at: formatInstant(record.at),
          actor: record.actor,
          action: record.action,
          target: record.target,
          details: { ...record.details },
        })),
      };
    },
  );
};
