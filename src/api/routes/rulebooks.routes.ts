import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ratings } from "../../core/rating.js";
import { parseRulebook, rulebookBytesMax } from "../../core/rulebook.parse.js";
import { formatInstant } from "../../core/time.js";
import { rulebookJson } from "../../ledger/rulebook.view.js";
import type { PublishedRulebook } from "../../store/store.js";
import { audit, auditLine } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { ApiError } from "../errors.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";
import { rulebookExample, rulebookHistoryExample } from "./rulebooks.examples.js";

const thresholdsSchema = z.object({
  AAA: z.number().int(),
  AA: z.number().int(),
  A: z.number().int(),
  B: z.number().int(),
  C: z.number().int(),
});

const benefitSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    ratingMin: z.enum(ratings),
    heldDaysMin: z.number().int().describe("days the rating must be held; 0 means now"),
  })
  .meta({ id: "Benefit" });

const ruleSchema = z
  .object({
    type: z.string(),
    category: z.string(),
    points: z.number().int(),
    expiresAfterDays: z.number().int(),
    cap: z
      .object({ points: z.number().int(), windowDays: z.number().int() })
      .nullable()
      .describe("at most these points per subject per window"),
    legalBasis: z.string(),
    description: z.string(),
  })
  .meta({ id: "Rule" });

const rulebookSchema = z
  .object({
    version: z.number().int(),
    publishedAt: timeSchema,
    publishedBy: z.string(),
    title: z.string(),
    baseScore: z.number().int(),
    ratingThresholds: thresholdsSchema.describe("the lowest score of each rating; D is below C"),
    cameraConfidenceMin: z
      .number()
      .describe("camera attributions below this wait for a human reviewer"),
    rules: z.array(ruleSchema),
    benefits: z.array(benefitSchema),
    text: z.string().describe("the published YAML, as written"),
  })
  .meta({ id: "Rulebook" });

const summarySchema = z.object({
  version: z.number().int(),
  title: z.string(),
  publishedAt: timeSchema,
  publishedBy: z.string(),
});

const versionParamsSchema = z.strictObject({
  version: z.coerce.number().int().min(1).max(1e9),
});

const publishBodySchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(rulebookBytesMax)
    .describe("the rulebook in YAML, like rulebooks/default.yaml"),
});

/** Anyone reads the rulebook and its history (charter: no secret rules); admins publish. */
export const rulebookRoutes: FastifyPluginAsyncZod = async (app) => {
  const current = async (): Promise<PublishedRulebook> => {
    const published = await app.dependencies.store.currentRulebook();
    if (!published) throw new ApiError("not_ready", "no rulebook is published yet");
    return published;
  };

  app.get(
    "/v1/rulebook",
    {
      config: { roles: "anyone" },
      schema: {
        tags: ["rulebooks"],
        summary: "The rulebook in force: every rule with its legal basis, thresholds, benefits",
        response: {
          200: successResponse(rulebookSchema, "The rulebook in force", {
            abridged: rulebookExample,
          }),
          ...problemResponses("not_ready"),
        },
      },
    },
    async () => rulebookJson(await current()),
  );

  app.get(
    "/v1/rulebooks",
    {
      config: { roles: "anyone" },
      schema: {
        tags: ["rulebooks"],
        summary: "Every published version: when and by whom",
        response: {
          200: successResponse(
            z.object({ versions: z.array(summarySchema) }),
            "Every published version, oldest first",
            { twoVersions: rulebookHistoryExample },
          ),
          ...problemResponses(),
        },
      },
    },
    async () => {
      const history = await app.dependencies.store.rulebookHistory();
      return {
        versions: history.map((summary) => ({
          ...summary,
          publishedAt: formatInstant(summary.publishedAt),
        })),
      };
    },
  );

  app.get(
    "/v1/rulebooks/:version",
    {
      config: { roles: "anyone" },
      schema: {
        tags: ["rulebooks"],
        summary: "One published version of the rulebook",
        params: versionParamsSchema,
        response: {
          200: successResponse(rulebookSchema, "That version, as it was published"),
          ...problemResponses("validation_failed", "not_found"),
        },
      },
    },
    async (request) => {
      const published = await app.dependencies.store.rulebookVersion(request.params.version);
      if (!published) {
        throw new ApiError("not_found", `no rulebook version ${request.params.version}`);
      }
      return rulebookJson(published);
    },
  );

  app.get(
    "/v1/benefits",
    {
      config: { roles: "anyone" },
      schema: {
        tags: ["rulebooks"],
        summary: "The benefit programmes of the rulebook in force",
        response: {
          200: successResponse(
            z.object({ rulebookVersion: z.number().int(), benefits: z.array(benefitSchema) }),
            "The benefit programmes, with the rulebook version they come from",
          ),
          ...problemResponses("not_ready"),
        },
      },
    },
    async () => {
      const published = await current();
      return {
        rulebookVersion: published.version,
        benefits: published.rulebook.benefits.map((benefit) => ({ ...benefit })),
      };
    },
  );

  app.post(
    "/v1/rulebooks",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Publish a rulebook version (admin key)",
        description:
          "The text is compiled and checked first; a rulebook with any problem is refused (422, with the compiler's located messages) and the current version stays in force.",
        security: bearerSecurity,
        body: publishBodySchema,
        response: {
          201: successResponse(summarySchema, "Published: the new version is in force"),
          ...problemResponses(...bodyErrors, "forbidden", "unprocessable"),
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const { text } = request.body;
      const parsed = parseRulebook(text, "rulebook");
      if (!parsed.ok) {
        await audit(app, principal, "rulebook.refuse", "rulebook", {
          problems: parsed.problems.length,
        });
        throw new ApiError(
          "unprocessable",
          `the rulebook has ${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}; the current version is unchanged`,
          { problems: parsed.problems },
        );
      }
      const published = await store.publishRulebook(
        { text, rulebook: parsed.rulebook, publishedAt: clock(), publishedBy: principal.name },
        (version) =>
          auditLine(principal, "rulebook.publish", `rulebook:${version.version}`, {
            title: version.rulebook.title,
            rules: version.rulebook.rules.length,
          }),
      );
      return reply.code(201).send({
        version: published.version,
        title: published.rulebook.title,
        publishedAt: formatInstant(published.publishedAt),
        publishedBy: published.publishedBy,
      });
    },
  );
};
