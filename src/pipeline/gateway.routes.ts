import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { Counter } from "prom-client";
import { z } from "zod";
import { ApiError } from "../api/errors.js";
import { successResponse } from "../api/responses.js";
import {
  eventsRouteOptions,
  outcomeCountsSchema,
  reportingSource,
} from "../api/routes/events.routes.js";
import { batchEventsMax } from "../core/batch.js";
import {
  decideAtGateway,
  emptyGatewayOutcomeCounts,
  type GatewayOutcome,
  gatewayOutcomeKinds,
  publicationsOf,
} from "./gateway.outcome.js";
import { type EventPublisher, PipelineUnavailableError } from "./gateway.publisher.js";
import type { PipelineTopology } from "./pipeline.topology.js";

/** What a client that got 503 is told to wait before it sends again. */
export const retryAfterSeconds = 5;

const gatewayOutcomeSchema = z
  .object({
    outcome: z.enum(gatewayOutcomeKinds),
    partition: z.number().int().optional().describe("queued: the stream partition (by subject)"),
    sequence: z.number().int().optional().describe("queued: the event's position in the stream"),
    message: z.string().optional().describe("refusals: why"),
  })
  .meta({ id: "GatewayEventOutcome" });

const gatewayResponseSchema = z.object({
  counts: outcomeCountsSchema(gatewayOutcomeKinds).describe("Events per outcome"),
  outcomes: z.array(gatewayOutcomeSchema).describe("outcomes[i] answers events[i]"),
});

export type GatewayRoutesOptions = Readonly<{
  publisher: EventPublisher;
  topology: PipelineTopology;
}>;

/**
 * `POST /v1/events` at the gateway: the API's request (the same body, keys and refusals), but
 * an event that passes every check the gateway can make is answered `queued`, once JetStream has
 * stored it, rather than priced. While the stream cannot take events the whole batch is refused
 * with 503 `not_ready`, saying so; sending it again later is safe.
 */
export function gatewayEventRoutes({
  publisher,
  topology,
}: GatewayRoutesOptions): FastifyPluginAsyncZod {
  return async (app) => {
    const queuedTotal = new Counter({
      name: "civic_gateway_events_queued_total",
      help: "Events the gateway stored in the event stream",
      registers: [app.metrics.registry],
    });
    app.post(
      "/v1/events",
      eventsRouteOptions({
        description: `One to ${batchEventsMax} events, stored in the event stream ${topology.stream} before the answer. Every event is answered with one outcome from a closed list: ${gatewayOutcomeKinds.join(", ")}. \`queued\` means stored in the stream: a worker then records it in the ledger, or finds it a duplicate, or refuses it for what only the ledger knows (an unknown subject, an id reused for another report). A source may report only the event types it is authorised for. While the stream cannot take events, the batch is refused with 503 and a Retry-After header; sending it again is harmless.`,
        response: successResponse(
          gatewayResponseSchema,
          "The batch was taken: one outcome per event, in the order sent, and their counts",
        ),
        errors: ["not_ready"],
      }),
      async (request, reply) => {
        const { store, clock } = app.dependencies;
        const source = await reportingSource(request, store);
        const published = await store.currentRulebook();
        if (!published) throw new ApiError("not_ready", "no rulebook is published");
        const context = { source, rulebook: published.rulebook, receivedAt: clock(), topology };
        const decisions = request.body.events.map((input) => decideAtGateway(input, context));
        const publications = publicationsOf(decisions, context);
        const routedTotal = publications.reduce((sum, each) => sum + each.indexes.length, 0);
        let sequences: number[];
        try {
          sequences = await publisher.publish(publications);
        } catch (error) {
          if (!(error instanceof PipelineUnavailableError)) throw error;
          queuedTotal.inc(error.queuedBeforeFailure);
          reply.header("retry-after", String(retryAfterSeconds));
          throw new ApiError(
            "not_ready",
            `${error.message}. ${error.queuedBeforeFailure} of the batch's ${routedTotal} events to queue were queued before the failure; send the batch again later: resent events are recognised, never counted twice`,
            { queuedBeforeFailure: error.queuedBeforeFailure },
          );
        }
        queuedTotal.inc(routedTotal);
        const answers = decisions.map((decision): GatewayOutcome | undefined =>
          "kind" in decision ? decision : undefined,
        );
        publications.forEach((publication, index) => {
          const sequence = sequences[index] as number;
          for (const eventIndex of publication.indexes) {
            answers[eventIndex] = { kind: "queued", partition: publication.partition, sequence };
          }
        });
        const outcomes = answers.map((outcome, index): GatewayOutcome => {
          if (outcome === undefined) throw new Error(`event ${index} got no outcome`);
          return outcome;
        });
        const counts = emptyGatewayOutcomeCounts();
        for (const outcome of outcomes) counts[outcome.kind]++;
        const { queued: _, ...refusals } = counts;
        app.metrics.countOutcomes(refusals);
        return { counts, outcomes: outcomes.map(outcomeJson) };
      },
    );
  };
}

function outcomeJson(outcome: GatewayOutcome): z.output<typeof gatewayOutcomeSchema> {
  if (outcome.kind === "queued") {
    return { outcome: "queued", partition: outcome.partition, sequence: outcome.sequence };
  }
  return { outcome: outcome.kind, message: outcome.message };
}
