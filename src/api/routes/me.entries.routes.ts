import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appealEntry } from "../../access/appeal.service.js";
import { appealRefusalMessage, appealStatementLengthMax } from "../../core/appeal.js";
import { describeEntries, rulebooksOf } from "../../ledger/citizen.entries.js";
import { evidenceUrlLengthMax } from "../../store/appeals.shared.js";
import { ApiError } from "../errors.js";
import { listLimitMax } from "../fields.js";
import { bearerSecurity, bodyErrors, problemResponses, successResponse } from "../responses.js";
import { citizenContext } from "./citizen.context.js";
import {
  appealSchema,
  citizenEntrySchema,
  presentAppeal,
  presentEntry,
  presentTransition,
  transitionSchema,
} from "./citizen.schemas.js";

const tags = ["citizens"];

const entriesQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe("entries with a larger id"),
  limit: z.coerce.number().int().min(1).max(listLimitMax).default(listLimitMax),
});

const entryParamsSchema = z.strictObject({ id: z.coerce.number().int().min(1) });

const appealBodySchema = z.strictObject({
  statement: z.string().trim().min(1).max(appealStatementLengthMax),
  evidenceUrl: z
    .url({ protocol: /^https?$/ })
    .max(evidenceUrlLengthMax)
    .optional(),
});

/** The same answer for a missing entry and another person's: entry ids do not leak. */
function unknownEntry(entryId: number): ApiError {
  return new ApiError("not_found", `you have no entry ${entryId}`, {
    reason: "unknown_entry",
    entryId,
  });
}

/** A citizen's entries, each with its reason, and their appeals. Another person's entry is 404. */
export const meEntryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.dependencies;

  app.get(
    "/v1/me/entries",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Every entry on my record, with its reason and evidence (citizen session)",
        description: `Oldest first, at most \`limit\` after the id \`after\`; \`next\` is the \`after\` of the next page.`,
        querystring: entriesQuerySchema,
        response: {
          200: successResponse(
            z.object({
              entries: z.array(citizenEntrySchema),
              next: z.number().int().optional().describe("absent on the last page"),
            }),
            "A page of my entries, oldest first",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      const { subject, now, appeals } = await citizenContext(app, request);
      const { after, limit } = request.query;
      const all = await store.entries(subject.id);
      const page = all.filter((entry) => entry.id > after).slice(0, limit);
      const last = page.at(-1);
      const more = last !== undefined && all.some((entry) => entry.id > last.id);
      const views = describeEntries({
        entries: page,
        appeals,
        rulebooks: await rulebooksOf(store, page),
        at: now,
      });
      return { entries: views.map(presentEntry), next: more ? last.id : undefined };
    },
  );

  app.get(
    "/v1/me/entries/:id",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          "One of my entries, with every change made to it and who made it (citizen session)",
        params: entryParamsSchema,
        response: {
          200: successResponse(
            z.object({
              entry: citizenEntrySchema,
              transitions: z.array(transitionSchema),
              appeals: z.array(appealSchema),
            }),
            "The entry with every change to it and its appeals",
          ),
          ...problemResponses("forbidden", "validation_failed", "not_found"),
        },
      },
    },
    async (request) => {
      const { subject, now, appeals } = await citizenContext(app, request);
      const entry = await store.entry(request.params.id);
      // The same answer for a missing entry and someone else's: entry ids do not leak.
      if (!entry || entry.subjectId !== subject.id) throw unknownEntry(request.params.id);
      const [view] = describeEntries({
        entries: [entry],
        appeals,
        rulebooks: await rulebooksOf(store, [entry]),
        at: now,
      });
      if (!view) throw new Error("describeEntries answers one view per entry");
      return {
        entry: presentEntry(view),
        transitions: (await store.transitions(entry.id)).map(presentTransition),
        appeals: appeals.filter((appeal) => appeal.entryId === entry.id).map(presentAppeal),
      };
    },
  );

  app.post(
    "/v1/me/entries/:id/appeal",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Appeal one of my entries (citizen session)",
        description:
          "While the appeal is open the entry does not count. An appeal not decided within 30 days is decided for you.",
        params: entryParamsSchema,
        body: appealBodySchema,
        response: {
          201: successResponse(
            appealSchema,
            "Opened: the appeal, with the date by which it is decided",
          ),
          ...problemResponses(...bodyErrors, "forbidden", "not_found", "conflict"),
        },
      },
    },
    async (request, reply) => {
      const { subject, now } = await citizenContext(app, request);
      const answer = await appealEntry(store, {
        subjectId: subject.id,
        entryId: request.params.id,
        request: { statement: request.body.statement, evidenceUrl: request.body.evidenceUrl },
        now,
      });
      if (answer.kind === "not_found") throw unknownEntry(request.params.id);
      if (answer.kind === "refused") {
        throw new ApiError("conflict", appealRefusalMessage(answer.refusal), answer.refusal);
      }
      return reply.status(201).send(presentAppeal(answer.appeal));
    },
  );

  app.get(
    "/v1/me/appeals",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "My appeals, open and decided (citizen session)",
        response: {
          200: successResponse(
            z.object({ appeals: z.array(appealSchema) }),
            "Every appeal of mine",
          ),
          ...problemResponses("forbidden"),
        },
      },
    },
    async (request) => {
      const { appeals } = await citizenContext(app, request);
      return { appeals: appeals.map(presentAppeal) };
    },
  );
};
