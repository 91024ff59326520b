import { consentRefusalReasons } from "../access/consent.service.js";
import { appealRefusalReasons } from "../core/appeal.js";

/**
 * The one error catalogue of the API (RFC 9457 problem details). Every error a client can get
 * is listed here with its HTTP status; handlers throw `ApiError` with a code from this list.
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: "The request is malformed" },
  validation_failed: { status: 400, title: "The request does not match its schema" },
  unauthenticated: { status: 401, title: "Credentials are missing or invalid" },
  forbidden: { status: 403, title: "Not allowed for this caller" },
  consent_required: { status: 403, title: "The subject has not consented to this inquiry" },
  not_found: { status: 404, title: "No such resource" },
  method_not_allowed: { status: 405, title: "The resource does not allow this method" },
  conflict: { status: 409, title: "The resource is not in a state that allows this" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The request body must be JSON" },
  unprocessable: { status: 422, title: "The request was understood but refused" },
  rate_limited: { status: 429, title: "Too many requests" },
  not_ready: { status: 503, title: "The service is not ready" },
  internal: { status: 500, title: "Internal error" },
} as const;
export type ErrorCode = keyof typeof errorCatalogue;

/**
 * Why a problem happened, for the problems a client may word itself (the web app words them in
 * the reader's language): a closed list. A problem with a `reason` carries its facts as
 * extensions beside it (`partner`, `entryId`...); its `detail` stays the English sentence.
 */
export const problemReasons = [
  // Signing in (sessions, activation, their rate limit).
  "wrong_credentials",
  "invalid_activation_code",
  "too_many_sign_ins",
  "too_many_requests",
  "session_invalid",
  "credentials_missing",
  // Consents.
  ...consentRefusalReasons,
  "unknown_consent",
  // Entries and appeals.
  "unknown_entry",
  ...appealRefusalReasons,
] as const;
export type ProblemReason = (typeof problemReasons)[number];

/** The members every problem has: an extension may not replace them. */
const problemMembers: ReadonlySet<string> = new Set(["type", "title", "status", "code", "detail"]);

/** A problem's extensions: a `reason` from the list, with its facts, or other members. */
export type ProblemExtensions = Readonly<Record<string, unknown>> &
  Readonly<{ reason?: ProblemReason }>;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail);
    this.name = "ApiError";
    for (const name of Object.keys(extensions)) {
      if (problemMembers.has(name)) throw new Error(`a problem extension may not be named ${name}`);
    }
  }
}

export type Problem = Readonly<{
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
}> &
  Readonly<Record<string, unknown>>;

export function problemOf(error: ApiError): Problem {
  const entry = errorCatalogue[error.code];
  return {
    type: `urn:civic-credit:error:${error.code}`,
    title: entry.title,
    status: entry.status,
    code: error.code,
    detail: error.detail,
    ...error.extensions,
  };
}

/**
 * A rate limit's 429 (`errorResponseBuilder` of @fastify/rate-limit), with its facts: the limit
 * per minute, under the member its reason names, and when to retry.
 */
export function rateLimitedProblem(
  reason: Extract<ProblemReason, "too_many_requests" | "too_many_sign_ins">,
  limitMember: "requestsMax" | "attemptsMax",
): (request: unknown, context: Readonly<{ max: number; ttl: number }>) => ApiError {
  return (_request, context) =>
    new ApiError("rate_limited", "too many requests; retry later", {
      reason,
      [limitMember]: context.max,
      retryAfterSeconds: Math.ceil(context.ttl / 1000),
    });
}
