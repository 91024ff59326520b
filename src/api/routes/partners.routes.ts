import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { partnerKinds, purposes } from "../../core/purpose.js";
import { formatInstant } from "../../core/time.js";
import type { PartnerRecord } from "../../store/access.store.js";
import { auditLine } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { nameSchema } from "../fields.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";

const addBodySchema = z
  .strictObject({
    name: nameSchema,
    kind: z.enum(partnerKinds),
    purposes: z
      .array(z.enum(purposes))
      .min(1)
      .max(purposes.length)
      .refine((list) => new Set(list).size === list.length, "each purpose at most once"),
  })
  // Charter item 5: only an authority acts on a legal basis without consent.
  .refine((partner) => partner.kind === "authority" || !partner.purposes.includes("public_task"), {
    path: ["purposes"],
    message: "only an authority may declare 'public_task'",
  });

const partnerSchema = z
  .object({
    name: z.string(),
    kind: z.enum(partnerKinds),
    purposes: z.array(z.enum(purposes)),
    createdAt: timeSchema,
  })
  .meta({ id: "Partner" });

function partnerJson(partner: PartnerRecord): z.output<typeof partnerSchema> {
  return {
    name: partner.name,
    kind: partner.kind,
    purposes: [...partner.purposes],
    createdAt: formatInstant(partner.createdAt),
  };
}

/** Admins add the partners that query scores, each with its declared purposes. */
export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/partners",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Add a partner and its declared purposes (admin key)",
        description:
          "Only an authority may declare 'public_task' (no consent needed, every query logged and shown to the subject); every other purpose needs the subject's consent.",
        security: bearerSecurity,
        body: addBodySchema,
        response: {
          201: successResponse(partnerSchema, "Added: the partner with its declared purposes"),
          ...problemResponses(...bodyErrors, "forbidden", "conflict"),
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const added = await store.addPartner(request.body, clock(), (partner) =>
        "refused" in partner
          ? undefined
          : auditLine(principal, "partner.add", `partner:${partner.name}`, {
              kind: partner.kind,
              purposes: partner.purposes,
            }),
      );
      if ("refused" in added) throw new ApiError("conflict", added.refused);
      return reply.code(201).send(partnerJson(added));
    },
  );

  app.get(
    "/v1/partners",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Every partner (admin key)",
        security: bearerSecurity,
        response: {
          200: successResponse(
            z.object({ partners: z.array(partnerSchema) }),
            "Every partner with its declared purposes",
          ),
          ...problemResponses("forbidden"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["admin"]);
      return { partners: (await app.dependencies.store.partners()).map(partnerJson) };
    },
  );
};
