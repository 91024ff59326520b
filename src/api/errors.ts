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
  conflict: { status: 409, title: "The resource is not in a state that allows this" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The request body must be JSON" },
  unprocessable: { status: 422, title: "The request was understood but refused" },
  rate_limited: { status: 429, title: "Too many requests" },
  not_ready: { status: 503, title: "The service is not ready" },
  internal: { status: 500, title: "Internal error" },
} as const;
export type ErrorCode = keyof typeof errorCatalogue;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = "ApiError";
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
