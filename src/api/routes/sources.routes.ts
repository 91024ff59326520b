import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  type SourceProfile,
  sourceKinds,
  typeMatches,
  typePatternRegex,
} from "../../core/source.js";
import { auditLine } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { nameSchema } from "../fields.js";
import { bearerSecurity, bodyErrors, problemResponses, successResponse } from "../responses.js";

/** Type patterns one source may hold. */
export const sourceTypePatternsMax = 100;

const addBodySchema = z.strictObject({
  name: nameSchema,
  kind: z.enum(sourceKinds),
  allowedTypes: z
    .array(
      z
        .string()
        .max(128)
        .regex(typePatternRegex, "an event type or a namespace glob such as 'traffic.*'"),
    )
    .min(1)
    .max(sourceTypePatternsMax)
    .describe("the event types it may report; 'traffic.*' means every traffic type"),
});

const sourceSchema = z
  .object({
    name: z.string(),
    kind: z.enum(sourceKinds),
    allowedTypes: z.array(z.string()),
  })
  .meta({ id: "Source" });

function sourceJson(source: SourceProfile): z.output<typeof sourceSchema> {
  return { name: source.name, kind: source.kind, allowedTypes: [...source.allowedTypes] };
}

/** Admins add reporting sources (agencies, partner companies, cameras) and list them. */
export const sourceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/sources",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Add a reporting source and the event types it may report (admin key)",
        security: bearerSecurity,
        body: addBodySchema,
        response: {
          201: successResponse(
            sourceSchema.extend({
              warnings: z
                .array(z.string())
                .describe("in words: type patterns no rule of the current rulebook matches"),
              unmatchedTypes: z
                .array(z.string())
                .describe("the type patterns no rule of the current rulebook matches"),
            }),
            "Added: the source, with warnings about patterns no rule matches",
          ),
          ...problemResponses(...bodyErrors, "forbidden", "conflict"),
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const added = await store.addSource(request.body, clock(), (source) =>
        "refused" in source
          ? undefined
          : auditLine(principal, "source.add", `source:${source.name}`, {
              kind: source.kind,
              allowedTypes: source.allowedTypes,
            }),
      );
      if ("refused" in added) throw new ApiError("conflict", added.refused);
      const rules = (await store.currentRulebook())?.rulebook.rules ?? [];
      const unmatchedTypes = added.allowedTypes.filter(
        (pattern) => !rules.some((rule) => typeMatches(pattern, rule.type)),
      );
      const warnings = unmatchedTypes.map(
        (pattern) => `no rule of the current rulebook has a type matching '${pattern}'`,
      );
      return reply.code(201).send({ ...sourceJson(added), warnings, unmatchedTypes });
    },
  );

  app.get(
    "/v1/sources",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Every reporting source (admin key)",
        security: bearerSecurity,
        response: {
          200: successResponse(
            z.object({ sources: z.array(sourceSchema) }),
            "Every source with the event types it may report",
          ),
          ...problemResponses("forbidden"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["admin"]);
      return { sources: (await app.dependencies.store.sources()).map(sourceJson) };
    },
  );
};
