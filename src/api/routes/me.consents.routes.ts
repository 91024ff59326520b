import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  consentDaysMax,
  consentRefusalMessage,
  consentState,
  grantConsent,
} from "../../access/consent.service.js";
import { employmentConsentDaysMax } from "../../core/consent.js";
import { purposes } from "../../core/purpose.js";
import { formatInstant, type Instant } from "../../core/time.js";
import type { ConsentRecord } from "../../store/access.store.js";
import { ApiError } from "../errors.js";
import { nameSchema } from "../fields.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";
import { citizenContext } from "./citizen.context.js";

const tags = ["citizens"];

const consentSchema = z
  .object({
    id: z.number().int(),
    partner: z.string(),
    purpose: z.enum(purposes),
    grantedAt: timeSchema,
    until: timeSchema,
    revokedAt: timeSchema.optional(),
    state: z.enum(["live", "revoked", "expired"]),
  })
  .meta({ id: "Consent" });

const grantBodySchema = z.strictObject({
  partner: nameSchema,
  purpose: z.enum(purposes),
  until: z.iso
    .datetime({ offset: true })
    .describe(`in the future, at most ${consentDaysMax} days ahead`),
});

const consentParamsSchema = z.strictObject({ id: z.coerce.number().int().min(1) });

function presentConsent(consent: ConsentRecord, now: Instant): z.output<typeof consentSchema> {
  return {
    id: consent.id,
    partner: consent.partner,
    purpose: consent.purpose,
    grantedAt: formatInstant(consent.grantedAt),
    until: formatInstant(consent.until),
    revokedAt: consent.revokedAt === undefined ? undefined : formatInstant(consent.revokedAt),
    state: consentState(consent, now),
  };
}

/** A citizen grants and revokes partners' access, one partner and one purpose at a time. */
export const meConsentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.dependencies;

  app.get(
    "/v1/me/consents",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "My consents, live, expired and revoked (citizen session)",
        response: {
          200: successResponse(
            z.object({ consents: z.array(consentSchema) }),
            "your consents, newest first: live, expired and revoked",
          ),
          ...problemResponses("forbidden"),
        },
      },
    },
    async (request) => {
      const { subject, now } = await citizenContext(app, request);
      const consents = await store.consents(subject.id);
      return { consents: consents.map((consent) => presentConsent(consent, now)) };
    },
  );

  app.post(
    "/v1/me/consents",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Let one partner ask for one purpose until a date (citizen session)",
        description: `The partner must exist and have declared the purpose. An employer may rely only on a consent given within the last ${employmentConsentDaysMax} days. Authorities acting on \`public_task\` need no consent. A new grant for a partner and purpose that already have a live consent replaces it: the old one is revoked when the new one starts, so there is never more than one to revoke.`,
        body: grantBodySchema,
        response: {
          201: successResponse(consentSchema, "the consent, live from now"),
          ...problemResponses(...bodyErrors, "forbidden", "unprocessable"),
        },
      },
    },
    async (request, reply) => {
      const { subject, now } = await citizenContext(app, request);
      const { partner, purpose, until } = request.body;
      const granted = await grantConsent(
        store,
        subject.id,
        { partner, purpose, until: Date.parse(until) },
        now,
      );
      if ("refused" in granted) {
        throw new ApiError(
          "unprocessable",
          consentRefusalMessage(granted.refused),
          granted.refused,
        );
      }
      return reply.status(201).send(presentConsent(granted, now));
    },
  );

  app.delete(
    "/v1/me/consents/:id",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Revoke one of my consents at once (citizen session)",
        params: consentParamsSchema,
        response: {
          204: z.null().describe("revoked"),
          ...problemResponses("forbidden", "validation_failed", "not_found"),
        },
      },
    },
    async (request, reply) => {
      const { subject, now } = await citizenContext(app, request);
      const revoked = await store.revokeConsent(subject.id, request.params.id, now);
      if (!revoked) {
        const consentId = request.params.id;
        throw new ApiError("not_found", `you have no live consent ${consentId}`, {
          reason: "unknown_consent",
          consentId,
        });
      }
      return reply.status(204).send(null);
    },
  );
};
