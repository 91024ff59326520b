import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { problemResponses, successResponse } from "../responses.js";

const tags = ["ops"];

export type OpsOptions = Readonly<{
  /**
   * What else the process needs to do its work (the gateway: its NATS connection): each check
   * answers why the process is not ready, or undefined when its part is.
   */
  readinessChecks?: ReadonlyArray<() => string | undefined>;
}>;

/** Liveness, readiness and metrics, for the process supervisor and Prometheus. */
export const opsRoutes: FastifyPluginAsyncZod<OpsOptions> = async (app, options) => {
  const readinessChecks = options.readinessChecks ?? [];
  app.get(
    "/healthz",
    {
      config: { roles: "anyone" },
      schema: {
        tags,
        summary: "The process is alive",
        response: {
          200: successResponse(z.object({ status: z.literal("ok") }), "Alive"),
          ...problemResponses(),
        },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { roles: "anyone" },
      schema: {
        tags,
        summary:
          "The store answers, a rulebook is published, and what else the process needs is up",
        response: {
          200: successResponse(
            z.object({ status: z.literal("ready"), rulebookVersion: z.number().int() }),
            "Ready: the rulebook version in force",
          ),
          ...problemResponses("not_ready"),
        },
      },
    },
    async () => {
      let version: number | undefined;
      try {
        version = (await app.dependencies.store.currentRulebook())?.version;
      } catch {
        throw new ApiError("not_ready", "the store does not answer");
      }
      if (version === undefined) throw new ApiError("not_ready", "no rulebook is published");
      for (const check of readinessChecks) {
        const reason = check();
        if (reason !== undefined) throw new ApiError("not_ready", reason);
      }
      return { status: "ready" as const, rulebookVersion: version };
    },
  );

  app.get(
    "/metrics",
    {
      config: { roles: "anyone" },
      schema: {
        tags,
        summary: "Prometheus metrics (text exposition format)",
        response: {
          200: {
            description: "Prometheus text format",
            content: { "text/plain": { schema: z.string() } },
          },
          ...problemResponses(),
        },
      },
    },
    async (_request, reply) => {
      const { registry } = app.metrics;
      const text = await registry.metrics();
      return reply
        .type(registry.contentType)
        .serializer((payload) => payload as string)
        .send(text);
    },
  );
};
