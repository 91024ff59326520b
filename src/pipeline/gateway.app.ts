import { randomBytes } from "node:crypto";
import { type App, type AppDependencies, buildApp } from "../api/app.js";
import { opsRoutes } from "../api/routes/ops.routes.js";
import type { EventPublisher } from "./gateway.publisher.js";
import { gatewayEventRoutes } from "./gateway.routes.js";
import type { PipelineTopology } from "./pipeline.topology.js";

export type GatewayDependencies = Omit<AppDependencies, "routes" | "webRoot" | "sessionSecret"> &
  Readonly<{ publisher: EventPublisher; topology: PipelineTopology }>;

/**
 * The gateway's HTTP surface, built by the API's own `buildApp` (keys, rate limits, problem+json
 * errors, metrics, OpenAPI at /docs) with two route sets: ops (/healthz, /metrics, and /readyz,
 * which also answers 503 while NATS is unreachable) and `POST /v1/events`. It reads the ledger
 * only for keys, sources and the current rulebook.
 */
export function buildGatewayApp({
  publisher,
  topology,
  ...dependencies
}: GatewayDependencies): Promise<App> {
  return buildApp({
    ...dependencies,
    // No citizen signs in at the gateway: a secret of its own makes every session token invalid.
    sessionSecret: randomBytes(32),
    routes: async (app) => {
      await app.register(opsRoutes, { readinessChecks: [() => publisher.notReadyReason()] });
      await app.register(gatewayEventRoutes({ publisher, topology }));
    },
  });
}
