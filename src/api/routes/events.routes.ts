import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { batchEventsMax } from "../../core/batch.js";
import { type EventInput, eventInputSchema } from "../../core/event.js";
import {
  emptyOutcomeCounts,
  type Outcome,
  type OutcomeCounts,
  outcomeKinds,
} from "../../core/outcome.js";
import type { SourceProfile } from "../../core/source.js";
import { ingestEvents } from "../../ingest/ingest.service.js";
import type { LedgerStore } from "../../store/store.js";
import { type Role, requireRole } from "../auth/principal.js";
import { ApiError, type ErrorCode } from "../errors.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  requestBody,
  successResponse,
} from "../responses.js";

/** The event's shape, for the OpenAPI document only: each event is validated on its own. */
const eventDocumentation = (() => {
  const { $schema: _, ...schema } = z.toJSONSchema(eventInputSchema, {
    io: "input",
    unrepresentable: "any",
  });
  return schema;
})();

/** A batch of events: the body of `POST /v1/events`, at the API and at the pipeline's gateway. */
const eventsBatchSchema = z.strictObject({
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

const redLight = {
  id: "TP-2026-0001",
  subject: "c-001",
  type: "traffic.red_light",
  occurredAt: "2026-05-30T08:30:00Z",
  region: "rongcheng",
  evidence: {
    description: "Drove through a red light at Renmin Rd / Beihai St, signal red for 3 s",
    reference: "TP-2026-0001",
  },
} satisfies EventInput;

export const eventsBodySchema = requestBody(eventsBatchSchema, {
  single: { summary: "One event", value: { events: [redLight] } },
  batch: {
    summary:
      "A batch: a new event, one sent before, one about nobody enrolled, one of another type",
    value: {
      events: [
        {
          ...redLight,
          id: "TP-2026-0002",
          subject: "c-002",
          type: "traffic.jaywalking",
          evidence: {
            description: "Crossed Renmin Rd against the signal",
            reference: "TP-2026-0002",
          },
        },
        redLight,
        { ...redLight, id: "TP-2026-0003", subject: "c-404" },
        { ...redLight, id: "TP-2026-0004", type: "finance.payment_default" },
      ] satisfies EventInput[],
    },
  },
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

/** Events per outcome, one count for every outcome of a closed list. */
export function outcomeCountsSchema<Kind extends string>(kinds: readonly Kind[]) {
  return z.object(
    Object.fromEntries(kinds.map((kind) => [kind, z.number().int()])) as Record<Kind, z.ZodNumber>,
  );
}

const eventsResponseSchema = z.object({
  counts: outcomeCountsSchema(outcomeKinds).describe("Events per outcome"),
  outcomes: z.array(outcomeSchema).describe("outcomes[i] answers events[i]"),
});

function countsOf(counted: Partial<OutcomeCounts>): OutcomeCounts {
  return { ...emptyOutcomeCounts(), ...counted };
}

const eventsResponse = successResponse(
  eventsResponseSchema,
  "The batch was committed: one outcome per event, in the order sent, and their counts",
  {
    single: {
      summary: "One event, accepted",
      value: {
        counts: countsOf({ accepted: 1 }),
        outcomes: [{ outcome: "accepted", entryId: 4182, points: -10, status: "effective" }],
      },
    },
    batch: {
      summary: "The batch above: each event answered on its own",
      value: {
        counts: countsOf({
          accepted: 1,
          duplicate: 1,
          unknown_subject: 1,
          source_not_authorised_for_type: 1,
        }),
        outcomes: [
          { outcome: "accepted", entryId: 4183, points: -5, status: "effective" },
          { outcome: "duplicate", entryId: 4182 },
          { outcome: "unknown_subject", message: "no enrolled subject 'c-404'" },
          {
            outcome: "source_not_authorised_for_type",
            message: "source 'traffic-police' may report traffic.*, not 'finance.payment_default'",
          },
        ],
      },
    },
  },
);

/**
 * What every receiver of `POST /v1/events` shares (this API, and the pipeline's gateway): who
 * may call it, its body and its refusals. Each says what it answers for a batch it took.
 */
export function eventsRouteOptions<Response extends z.ZodType>({
  description,
  response,
  errors = [],
}: Readonly<{ description: string; response: Response; errors?: readonly ErrorCode[] }>) {
  return {
    config: { roles: ["source"] satisfies Role[] },
    schema: {
      tags: ["sources"],
      summary: "Report a batch of conduct events (source key)",
      description,
      security: bearerSecurity,
      body: eventsBodySchema,
      response: {
        200: response,
        ...problemResponses(...bodyErrors, "forbidden", ...errors),
      },
    },
  };
}

/** The source a request reports for: its key's source, which must still exist. */
export async function reportingSource(
  request: FastifyRequest,
  store: LedgerStore,
): Promise<SourceProfile> {
  const principal = requireRole(request.principal, ["source"]);
  const source = await store.source(principal.name);
  if (!source) throw new ApiError("forbidden", `the source '${principal.name}' is not known`);
  return source;
}

/** Sources report conduct events: a batch of 1 to 10,000, each answered with its outcome. */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/events",
    eventsRouteOptions({
      description: `One to ${batchEventsMax} events, committed together. Every event is answered with one outcome from a closed list: ${outcomeKinds.join(", ")}. A source may report only the event types it is authorised for. Reporting the same event again is harmless (duplicate).`,
      response: eventsResponse,
    }),
    async (request) => {
      const { store, clock } = app.dependencies;
      const source = await reportingSource(request, store);
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
