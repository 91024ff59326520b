import { z } from "zod";
import { storedStatuses } from "../core/entry.js";
import { purposes } from "../core/purpose.js";
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
    retryAfterSeconds: z
      .number()
      .int()
      .optional()
      .describe("too_many_sign_ins: when to try again (also the `Retry-After` header)"),
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

/** Times are ISO 8601 in UTC on the wire. */
/** The OpenAPI security requirement of a route that needs a key or a session token. */
export const bearerSecurity = [{ bearer: [] }];

export const timeSchema = z.iso.datetime().describe("ISO 8601 time in UTC");
