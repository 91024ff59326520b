import type { FastifyReply, FastifyRequest } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { OutcomeKind } from "../core/outcome.js";

export type Metrics = Readonly<{
  registry: Registry;
  observeRequest(request: FastifyRequest, reply: FastifyReply): void;
  countOutcomes(counts: Readonly<Partial<Record<OutcomeKind, number>>>): void;
}>;

/** Prometheus metrics at /metrics; one registry per app so tests do not share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestSeconds = new Histogram({
    name: "civic_http_request_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const events = new Counter({
    name: "civic_ingest_events_total",
    help: "Events answered by ingestion, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return {
    registry,
    observeRequest(request, reply) {
      // The route pattern, never the URL: URLs hold subject ids.
      const route = request.routeOptions.url ?? "unmatched";
      requestSeconds.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    },
    countOutcomes(counts) {
      for (const [outcome, count] of Object.entries(counts)) {
        if (count) events.inc({ outcome }, count);
      }
    },
  };
}
