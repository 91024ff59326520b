import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/**
 * One log line per request, when it completes: method, route pattern, status, role and time.
 * Never the URL (it can hold a subject id), a header (keys, tokens, cookies) or a body
 * (personal data). Fastify's own two lines per request would log the URL.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status: reply.statusCode,
      role: request.principal?.role ?? "anonymous",
      milliseconds: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, error: error.name }, "request failed");
    else reply.log.info(line, "request");
  }

  override routeNotFound(): void {}
}
