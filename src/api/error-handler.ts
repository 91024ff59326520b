import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ApiError, type ErrorCode, problemOf } from "./errors.js";
import { createRouteMethods } from "./route-methods.js";
import { validationFailed } from "./validation-problem.js";

/** The most of a client's header a problem quotes back. */
const quotedHeaderLengthMax = 100;

/**
 * Renders every error as problem+json from the one catalogue. Operating errors (bad input,
 * missing rights) are answered clearly; anything else is logged and answered as `internal`
 * with no stack trace or internal detail.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const routeMethods = createRouteMethods();
  app.addHook("onRoute", (route) => routeMethods.add(route));
  app.setErrorHandler(sendProblem);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = routeMethods.allowedAt(path);
    if (allowed.length === 0) {
      return reply
        .status(404)
        .type("application/problem+json")
        .send(problemOf(new ApiError("not_found", `no route ${request.method} ${path}`)));
    }
    // RFC 9110: a 405 lists the methods the resource does answer.
    const problem = problemOf(
      new ApiError(
        "method_not_allowed",
        `${path} does not answer ${request.method}; it answers ${allowed.join(", ")}`,
      ),
    );
    return reply
      .status(405)
      .header("allow", allowed.join(", "))
      .type("application/problem+json")
      .send(problem);
  });
}

/**
 * Answers an error as a problem. Also Fastify's `frameworkErrors` option (see `buildApp`): the
 * errors it finds before routing (a URL that does not decode, an overlong path parameter) would
 * otherwise be answered in Fastify's own JSON shape.
 */
export function sendProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(error, request);
  if (apiError.code === "internal") request.log.error({ err: error }, "unhandled error");
  const problem = problemOf(apiError);
  // RFC 9110: a 401 names the scheme that would authenticate (API keys and session tokens).
  if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="civic-credit"');
  return reply.status(problem.status).type("application/problem+json").send(problem);
}

function toApiError(error: FastifyError, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return validationFailed(error, request);
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return payloadTooLarge(request);
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return unsupportedMediaType(request);
  const byFastifyCode: Readonly<Record<string, ErrorCode>> = {
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

/** States the limit: the route's own (`bodyLimit`), else the server's. */
function payloadTooLarge(request: FastifyRequest): ApiError {
  const bodyBytesMax = request.routeOptions?.bodyLimit ?? request.server.initialConfig.bodyLimit;
  if (bodyBytesMax === undefined) throw new Error("a body was refused as too large with no limit");
  const mebibytes = bodyBytesMax / (1024 * 1024);
  return new ApiError(
    "payload_too_large",
    `the request body is larger than the limit of ${bodyBytesMax} bytes (${Number(mebibytes.toFixed(1))} MiB)`,
    { bodyBytesMax },
  );
}

function unsupportedMediaType(request: FastifyRequest): ApiError {
  const received = request.headers["content-type"];
  const what =
    received === undefined
      ? "the body has no Content-Type"
      : `the body's Content-Type is ${JSON.stringify(received.slice(0, quotedHeaderLengthMax))}`;
  return new ApiError(
    "unsupported_media_type",
    `${what}; send the body as JSON with Content-Type: application/json`,
  );
}
