import { z } from "zod";
import { inquiryRefusals } from "../core/consent.js";
import { storedStatuses } from "../core/entry.js";
import { purposes } from "../core/purpose.js";
import { principalRoles } from "./auth/principal.js";
import { type ErrorCode, errorCatalogue, problemReasons } from "./errors.js";

/** Errors are RFC 9457 problem details with this media type. */
export const problemContentType = "application/problem+json";

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

export const problemSchema = z
  .looseObject({
    type: z.string().describe("urn:civic-credit:error:<code>"),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(errorCodes),
    detail: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("validation_failed: the fields that do not match the schema"),
    problems: z
      .array(
        z.object({
          file: z.string(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
          path: z.string(),
          message: z.string(),
        }),
      )
      .optional()
      .describe("a refused rulebook: the compiler's located messages"),
    reason: z
      .enum(problemReasons)
      .optional()
      .describe(
        "why, as a stable name, for clients that word the problem themselves (`detail` stays English); its facts are the members below that name it",
      ),
    partner: z.string().optional().describe("unknown_partner, purpose_not_declared: the partner"),
    purpose: z.enum(purposes).optional().describe("purpose_not_declared: the purpose asked for"),
    declaredPurposes: z
      .array(z.enum(purposes))
      .optional()
      .describe("purpose_not_declared: the purposes the partner declared"),
    daysMax: z.number().int().optional().describe("consent_too_long: the longest a consent lasts"),
    consentId: z.number().int().optional().describe("unknown_consent: the consent's id"),
    entryId: z
      .number()
      .int()
      .optional()
      .describe("unknown_entry, appealed_before, entry_not_appealable: the entry's id"),
    entryStatus: z
      .enum(storedStatuses)
      .optional()
      .describe("entry_not_appealable: the entry's status"),
    attemptsMax: z
      .number()
      .int()
      .optional()
      .describe("too_many_sign_ins: the attempts allowed per minute from one address"),
    requestsMax: z
      .number()
      .int()
      .optional()
      .describe("too_many_requests: the requests allowed per minute for one key or address"),
    retryAfterSeconds: z
      .number()
      .int()
      .optional()
      .describe(
        "too_many_sign_ins, too_many_requests: when to try again (also the `Retry-After` header)",
      ),
    refusal: z
      .enum(inquiryRefusals)
      .optional()
      .describe(
        "POST /v1/inquiries, 403: why the question was refused, as a stable name. With `consent_required` the subject's consent is missing or too old; with `forbidden` the partner may not ask this at all (the route's description says which refusal goes with which). The subject sees the refused inquiry too.",
      ),
    benefitIds: z
      .array(z.string())
      .optional()
      .describe(
        "POST /v1/inquiries, 422 unprocessable: the `benefitId` is unknown; these are the programmes of the rulebook in force",
      ),
    acceptedRoles: z
      .array(z.enum(principalRoles))
      .optional()
      .describe(
        "forbidden, for a caller in another role: the roles the route accepts (`subject` is a signed-in citizen)",
      ),
    bodyBytesMax: z
      .number()
      .int()
      .optional()
      .describe("payload_too_large: the largest request body the route takes, in bytes"),
  })
  .meta({ id: "Problem", description: "An error, as RFC 9457 problem details" });

/**
 * Any route can answer these: a malformed or revoked `Authorization` header is refused before
 * routing, every caller is rate limited, and a bug is answered without detail.
 */
const alwaysPossible: readonly ErrorCode[] = ["unauthenticated", "rate_limited", "internal"];

/** What a route with a JSON body can also answer. */
export const bodyErrors: readonly ErrorCode[] = [
  "bad_request",
  "validation_failed",
  "payload_too_large",
  "unsupported_media_type",
];

type ProblemResponse = Readonly<{
  description: string;
  content: { [problemContentType]: { schema: typeof problemSchema } };
}>;

/**
 * The documented error responses of a route, grouped by HTTP status, each listing the
 * catalogue codes it may carry. Spread into `schema.response` beside the success responses.
 */
export function problemResponses(...codes: readonly ErrorCode[]): Record<number, ProblemResponse> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ...alwaysPossible])) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, ProblemResponse> = {};
  for (const [status, statusCodes] of byStatus) {
    responses[status] = {
      description: statusCodes.map((code) => `${code}: ${errorCatalogue[code].title}`).join("; "),
      content: { [problemContentType]: { schema: problemSchema } },
    };
  }
  return responses;
}

/** Named examples of a body, as the OpenAPI document shows them (Example Objects). */
export type Examples<Body> = Readonly<Record<string, Readonly<{ summary: string; value: Body }>>>;

/**
 * A route's success response: its one-line description (@fastify/swagger takes a response's
 * description from its schema's) and, for the routes clients start with, example bodies. An
 * example the schema would not send is a programmer error: the app does not start.
 */
export function successResponse<Schema extends z.ZodType>(
  schema: Schema,
  description: string,
  examples: Examples<z.output<Schema>> = {},
): Schema {
  for (const [name, example] of Object.entries(examples)) {
    const encoded = z.safeEncode(schema, example.value);
    if (!encoded.success) throw new Error(`response example '${name}': ${encoded.error.message}`);
  }
  return schema.meta({ description, ...examplesMeta(examples) });
}

/** A request body with example bodies, each checked against the schema like a request. */
export function requestBody<Schema extends z.ZodType>(
  schema: Schema,
  examples: Examples<z.input<Schema>>,
): Schema {
  for (const [name, example] of Object.entries(examples)) {
    const parsed = schema.safeParse(example.value);
    if (!parsed.success) throw new Error(`request example '${name}': ${parsed.error.message}`);
  }
  return schema.meta(examplesMeta(examples));
}

/** @fastify/swagger moves a schema's `x-examples` to the media type's named `examples`. */
function examplesMeta(examples: Examples<unknown>): Readonly<{ "x-examples"?: Examples<unknown> }> {
  return Object.keys(examples).length === 0 ? {} : { "x-examples": examples };
}

/** The OpenAPI security requirement of a route that needs a key or a session token. */
export const bearerSecurity = [{ bearer: [] }];

/** Times are ISO 8601 in UTC on the wire. */
export const timeSchema = z.iso.datetime().describe("ISO 8601 time in UTC");
