import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Instant } from "../core/time.js";
import type { AccessStore } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";
import { type Principal, type Role, requireRole, resolvePrincipal } from "./auth/principal.js";
import { registerErrorHandler, sendProblem } from "./error-handler.js";
import { rateLimitedProblem } from "./errors.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { RequestLogController } from "./request-log.js";
import { registerRoutes } from "./routes/index.js";
import { addSecurityHeaders } from "./security-headers.js";
import { registerWebApp } from "./web-app.js";

/** The largest request body: a batch of 10,000 events with their evidence. */
export const bodyBytesMax = 16 * 1024 * 1024;
/** Requests per minute per key or IP on ordinary routes, and on sign-in. */
export const requestsPerMinuteMax = 6_000;
export const signInsPerMinuteMax = 10;

export type AppDependencies = Readonly<{
  store: LedgerStore & AccessStore;
  clock: () => Instant;
  /** Signs citizens' session tokens; kept in the data folder. */
  sessionSecret: Buffer;
  logger?: FastifyServerOptions["logger"];
  /**
   * Set behind a TLS-terminating reverse proxy: the client's address and protocol are then
   * read from X-Forwarded-For and X-Forwarded-Proto (per-IP rate limits, Secure cookies).
   * Off by default, since without a proxy any client could claim another address.
   */
  trustProxy?: boolean;
  /**
   * The built web app (`dist/web`): served at `/` with a fallback to its `index.html` for
   * client routes. Absent: the API alone.
   */
  webRoot?: string;
  /** Lets the e2e tests lift rate limits they are not testing. */
  rateLimits?: Readonly<{ requestsPerMinute: number; signInsPerMinute: number }>;
  /** The routes to serve: the whole API by default; the pipeline's gateway serves its own. */
  routes?: (app: FastifyInstance) => Promise<void>;
}>;

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Who may use the route; every `/v1/` route says so (checked when it is registered). */
    roles?: readonly Role[] | "anyone";
  }
  interface FastifyInstance {
    dependencies: AppDependencies;
    metrics: Metrics;
  }
}

export type App = FastifyInstance;

/** Builds the API without listening: tests call it with `inject()`, `civic serve` listens. */
export async function buildApp(dependencies: AppDependencies): Promise<App> {
  const app = Fastify({
    logger: dependencies.logger ?? false,
    bodyLimit: bodyBytesMax,
    logController: new RequestLogController(),
    requestIdHeader: false,
    frameworkErrors: sendProblem,
    trustProxy: dependencies.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Every body is JSON: anything else is refused with 415, not parsed as a string.
  app.removeContentTypeParser("text/plain");
  app.decorate("dependencies", dependencies);
  app.decorate("metrics", createMetrics());
  // Set by the onRequest hook below for every request; null only before it runs.
  app.decorateRequest("principal", null as unknown as { getter: () => Principal });
  registerErrorHandler(app);

  addSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        // The web app and the docs load only their own files: no inline script or style
        // element, no other origin (React and the charts set styles through the DOM).
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        // `civic serve` speaks plain HTTP (TLS ends at a proxy, if any): upgrading the docs'
        // and the web app's assets to https would break them on a LAN address.
        "upgrade-insecure-requests": null,
      },
    },
  });
  // Cookies are parsed only where they are read (the session cookie, see `resolvePrincipal`):
  // API clients send none, and parsing on every request would cost them all.
  await app.register(fastifyCookie, { hook: false });
  await app.register(fastifyRateLimit, {
    max: dependencies.rateLimits?.requestsPerMinute ?? requestsPerMinuteMax,
    timeWindow: "1 minute",
    keyGenerator: rateLimitKey,
    errorResponseBuilder: rateLimitedProblem("too_many_requests", "requestsMax"),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "Civic Credit API",
        version: "1",
        description:
          "A transparent, contestable conduct ledger. Errors are RFC 9457 problem details (application/problem+json).",
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "An API key `cck_...` or a citizen session token `ccs_...`",
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  // Who may use a route is part of the route (`config.roles`), checked before its body is
  // read or validated: a caller without the right role learns nothing of what the route
  // expects, and a large body from a stranger is never parsed.
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/v1/") && route.config?.roles === undefined) {
      throw new Error(`${route.method} ${route.url} declares no config.roles`);
    }
  });
  app.addHook("onRequest", async (request) => {
    request.principal = await resolvePrincipal(request, {
      store: dependencies.store,
      sessionSecret: dependencies.sessionSecret,
      now: dependencies.clock(),
    });
    const { roles } = request.routeOptions.config;
    if (roles !== undefined && roles !== "anyone") requireRole(request.principal, roles);
  });
  app.addHook("onResponse", async (request, reply) => {
    app.metrics.observeRequest(request, reply);
  });
  // While closing, a request that was already in flight is answered, then its keep-alive
  // connection is closed: otherwise `close()` would wait for the client to hang up.
  let draining = false;
  app.addHook("preClose", async () => {
    draining = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (draining) reply.header("connection", "close");
  });
  await (dependencies.routes ?? registerRoutes)(app);
  if (dependencies.webRoot !== undefined) await registerWebApp(app, dependencies.webRoot);
  return app;
}

/**
 * One rate-limit bucket per API key (its public id), per citizen session (its subject part),
 * else per address. Never the secret: buckets are kept in memory.
 */
function rateLimitKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const key =
    header === undefined ? undefined : /^Bearer (cck_[A-Za-z0-9_-]{12}|ccs_[^.]+)/.exec(header);
  return key?.[1] ?? request.ip;
}
