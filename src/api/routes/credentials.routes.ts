import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatInstant } from "../../core/time.js";
import type { CredentialRecord } from "../../store/access.store.js";
import { auditLine } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { issueKey } from "../auth/secrets.js";
import { ApiError } from "../errors.js";
import { keyIdSchema, nameSchema } from "../fields.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";

/** Roles an admin may issue keys for; admin keys come from `civic serve` on a fresh folder. */
const issuableRoles = ["source", "partner", "reviewer"] as const;

const createBodySchema = z.strictObject({
  role: z.enum(issuableRoles),
  principal: nameSchema.describe(
    "the source or partner the key acts for (it must exist), or the reviewer's name",
  ),
});

const credentialSchema = z
  .object({
    keyId: z.string(),
    role: z.enum(["source", "partner", "reviewer", "admin"]),
    principal: z.string(),
    createdAt: timeSchema,
    createdBy: z.string(),
    revokedAt: timeSchema.nullable(),
  })
  .meta({ id: "Credential" });

const issuedSchema = credentialSchema.extend({
  key: z
    .string()
    .describe("the API key `cck_<keyId>_<secret>`: shown once, only its hash is stored"),
});

function credentialJson(record: CredentialRecord): z.output<typeof credentialSchema> {
  return {
    keyId: record.keyId,
    role: record.role,
    principal: record.principal,
    createdAt: formatInstant(record.createdAt),
    createdBy: record.createdBy,
    revokedAt: record.revokedAt === undefined ? null : formatInstant(record.revokedAt),
  };
}

/** Admins issue, list and revoke the API keys of sources, partners and reviewers. */
export const credentialRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/credentials",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Issue an API key for a source, partner or reviewer (admin key)",
        security: bearerSecurity,
        body: createBodySchema,
        response: {
          201: successResponse(
            issuedSchema,
            "Issued: the key, shown this once (only its hash is stored)",
          ),
          ...problemResponses(...bodyErrors, "forbidden", "unprocessable"),
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const { role, principal: owner } = request.body;
      if (role === "source" && !(await store.source(owner))) {
        throw new ApiError("unprocessable", `no source named '${owner}'; add it first`);
      }
      if (role === "partner" && !(await store.partner(owner))) {
        throw new ApiError("unprocessable", `no partner named '${owner}'; add it first`);
      }
      const issued = issueKey();
      const record = await store.createCredential(
        {
          keyId: issued.keyId,
          secretHash: issued.secretHash,
          role,
          principal: owner,
          createdAt: clock(),
          createdBy: principal.name,
        },
        (created) =>
          auditLine(principal, "credential.create", `credential:${created.keyId}`, {
            role,
            principal: owner,
          }),
      );
      return reply.code(201).send({ ...credentialJson(record), key: issued.key });
    },
  );

  app.get(
    "/v1/credentials",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Every API key, without secrets (admin key)",
        security: bearerSecurity,
        response: {
          200: successResponse(
            z.object({ credentials: z.array(credentialSchema) }),
            "Every key with its role, principal and state",
          ),
          ...problemResponses("forbidden"),
        },
      },
    },
    async (request) => {
      requireRole(request.principal, ["admin"]);
      const records = await app.dependencies.store.credentials();
      return { credentials: records.map(credentialJson) };
    },
  );

  app.delete(
    "/v1/credentials/:keyId",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Revoke an API key, effective at once (admin key)",
        description: "A key cannot revoke itself: issue and use another admin key first.",
        security: bearerSecurity,
        params: z.strictObject({ keyId: keyIdSchema }),
        response: {
          200: successResponse(credentialSchema, "Revoked: the key as it is now"),
          ...problemResponses("validation_failed", "forbidden", "not_found", "conflict"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const { keyId } = request.params;
      const existing = await store.credential(keyId);
      if (!existing) throw new ApiError("not_found", `no key with id '${keyId}'`);
      if (existing.revokedAt !== undefined) {
        throw new ApiError("conflict", `the key '${keyId}' is already revoked`);
      }
      if (keyId === principal.keyId) {
        throw new ApiError("conflict", "a key cannot revoke itself");
      }
      const at = clock();
      const revoked = await store.revokeCredential(keyId, at, (done) =>
        done
          ? auditLine(principal, "credential.revoke", `credential:${keyId}`, {
              role: existing.role,
              principal: existing.principal,
            })
          : undefined,
      );
      if (!revoked) throw new ApiError("conflict", `the key '${keyId}' is already revoked`);
      return credentialJson({ ...existing, revokedAt: at });
    },
  );
};
