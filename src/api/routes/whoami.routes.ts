import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { bearerSecurity, problemResponses, successResponse } from "../responses.js";

const whoamiSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("anonymous") }),
  z.object({ role: z.literal("subject"), subjectId: z.string() }),
  z.object({
    role: z.enum(["source", "partner", "reviewer", "admin"]),
    name: z.string().describe("the source, partner, reviewer or admin the key acts for"),
    keyId: z.string().describe("the key's public id, never its secret"),
  }),
]);

/**
 * Who the credentials sent belong to: the web console asks this once when an operator signs
 * in with a key, to show the pages of that role. Answers nothing the caller did not send.
 */
export const whoamiRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/v1/whoami",
    {
      config: { roles: "anyone" },
      schema: {
        tags: ["session"],
        summary: "The role and name of the credentials sent (any caller)",
        security: bearerSecurity,
        response: {
          200: successResponse(whoamiSchema, "The caller's role and name"),
          ...problemResponses(),
        },
      },
    },
    async (request) => request.principal,
  );
};
