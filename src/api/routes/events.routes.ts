import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { batchEventsMax } from "../../core/batch.js";
import { eventInputSchema } from "../../core/event.js";
import { type Outcome, outcomeKinds } from "../../core/outcome.js";
import { ingestEvents } from "../../ingest/ingest.service.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import { bodyErrors, problemResponses } from "../responses.js";

/** The event's shape, for the OpenAPI document only: each event is validated on its own. */
const eventDocumentation = (() => {
  const { $schema: _, ...schema } = z.toJSONSchema(eventInputSchema, {
    io: "input",
    unrepresentable: "any",
  });
  return schema;
})();

const eventsBodySchema = z.strictObject({
  events: z
    .array(
      z.unknown().meta({
        ...eventDocumentation,
        description:
          "A conduct event. Each is validated on its own: a bad one gets its own outcome and never refuses its neighbours.",
      }),
    )
    .min(1)
    .max(batchEventsMax),
});

const outcomeSchema = z
  .object({
    outcome: z.enum(outcomeKinds),
    entryId: z.number().int().optional().describe("accepted, duplicate: the ledger entry"),
    points: z.number().int().optional().describe("accepted: the points the entry is worth"),
    status: z
      .enum(["effective", "pending_review", "capped"])
      .optional()
      .describe("accepted: the entry's status"),
    message: z.string().optional().describe("refusals: why"),
  })
  .meta({ id: "EventOutcome" });

const countsSchema = z.object(
  Object.fromEntries(outcomeKinds.map((kind) => [kind, z.number().int()])) as Record<
    (typeof outcomeKinds)[number],
    z.ZodNumber
  >,
);

const eventsResponseSchema = z.object({
  counts: countsSchema.describe("Events per outcome"),
  outcomes: z.array(outcomeSchema).describe("outcomes[i] answers events[i]"),
});

/** Sources report conduct events: a batch of 1 to 10,000, each answered with its outcome. */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/events",
    {
      schema: {
        tags: ["sources"],
        summary: "Report a batch of conduct events (source key)",
        description: `One to ${batchEventsMax} events, committed together. Every event is answered with one outcome from a closed list: ${outcomeKinds.join(", ")}. A source may report only the event types it is authorised for. Reporting the same event again is harmless (duplicate).`,
        security: [{ bearer: [] }],
        body: eventsBodySchema,
        response: {
          200: eventsResponseSchema,
          ...problemResponses(...bodyErrors, "forbidden"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["source"]);
      const { store, clock } = app.dependencies;
      const source = await store.source(principal.name);
      if (!source) throw new ApiError("forbidden", `the source '${principal.name}' is not known`);
      const { counts, outcomes } = await ingestEvents(request.body.events, {
        store,
        source,
        clock,
      });
      app.metrics.countOutcomes(counts);
      return { counts, outcomes: outcomes.map(outcomeJson) };
    },
  );
};

function outcomeJson(outcome: Outcome): z.output<typeof outcomeSchema> {
  switch (outcome.kind) {
    case "accepted":
      return {
        outcome: "accepted",
        entryId: outcome.entryId,
        points: outcome.points,
        status: outcome.status,
      };
    case "duplicate":
      return { outcome: "duplicate", entryId: outcome.entryId };
    default:
      return { outcome: outcome.kind, message: outcome.message };
  }
}
