import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Instant } from "../core/time.js";
import type { AccessStore } from "../store/access.store.js";
import type { LedgerStore } from "../store/store.js";
import { type Principal, resolvePrincipal } from "./auth/principal.js";
import { registerErrorHandler } from "./error-handler.js";
import { createMetrics, type Metrics } from "./metrics.js";

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
  /** Lets the e2e tests lift rate limits they are not testing. */
  rateLimits?: Readonly<{ requestsPerMinute: number; signInsPerMinute: number }>;
}>;

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal;
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
    // Never log request bodies or authorisation headers: they hold personal data and secrets.
    disableRequestLogging: false,
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("dependencies", dependencies);
  app.decorate("metrics", createMetrics());
  // Set by the onRequest hook below for every request; null only before it runs.
  app.decorateRequest("principal", null as unknown as { getter: () => Principal });
  registerErrorHandler(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: { "script-src": ["'self'"], "img-src": ["'self'", "data:"] },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    max: dependencies.rateLimits?.requestsPerMinute ?? requestsPerMinuteMax,
    timeWindow: "1 minute",
    keyGenerator: (request) => request.headers.authorization?.slice(0, 24) ?? request.ip,
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
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  app.addHook("onRequest", async (request) => {
    request.principal = await resolvePrincipal(request, {
      store: dependencies.store,
      sessionSecret: dependencies.sessionSecret,
      now: dependencies.clock(),
    });
  });
  app.addHook("onResponse", async (request, reply) => {
    app.metrics.observeRequest(request, reply);
  });
  return app;
}
