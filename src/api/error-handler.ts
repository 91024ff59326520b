import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ApiError, type ErrorCode, problemOf } from "./errors.js";

/**
 * Renders every error as problem+json from the one catalogue. Operating errors (bad input,
 * missing rights) are answered clearly; anything else is logged and answered as `internal`
 * with no stack trace or internal detail.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(sendProblem);
  app.setNotFoundHandler((request, reply) => {
    const problem = problemOf(
      new ApiError("not_found", `no route ${request.method} ${request.url.split("?")[0]}`),
    );
    return reply.status(404).type("application/problem+json").send(problem);
  });
}

/**
 * Answers an error as a problem. Also Fastify's `frameworkErrors` option (see `buildApp`): the
 * errors it finds before routing (a URL that does not decode, an overlong path parameter) would
 * otherwise be answered in Fastify's own JSON shape.
 */
export function sendProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(error);
  if (apiError.code === "internal") request.log.error({ err: error }, "unhandled error");
  const problem = problemOf(apiError);
  // RFC 9110: a 401 names the scheme that would authenticate (API keys and session tokens).
  if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="civic-credit"');
  return reply.status(problem.status).type("application/problem+json").send(problem);
}

function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.slice(0, 20).map((issue) => ({
      path: `${issue.instancePath || "/"}`,
      message: issue.message ?? "invalid",
    }));
    const first = issues[0];
    return new ApiError(
      "validation_failed",
      first
        ? `${error.validationContext ?? "request"} ${first.path}: ${first.message}`
        : "invalid request",
      { issues },
    );
  }
  const byFastifyCode: Readonly<Record<string, ErrorCode>> = {
    FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
    FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
    FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
    FST_ERR_VALIDATION: "validation_failed",
    FST_ERR_BAD_URL: "bad_request",
    FST_ERR_MAX_PARAM_LENGTH: "bad_request",
  };
  const code = error.code ? byFastifyCode[error.code] : undefined;
  if (code) return new ApiError(code, error.message);
  if (error.statusCode === 429)
    return new ApiError("rate_limited", "too many requests; retry later");
  if (error.statusCode === 400 || error instanceof SyntaxError) {
    return new ApiError("bad_request", "the body is not valid JSON");
  }
  return new ApiError("internal", "an internal error occurred; it has been logged");
}
