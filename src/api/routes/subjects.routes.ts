import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { days, formatInstant } from "../../core/time.js";
import { subjectRowSchema } from "../../ingest/subjects.reader.js";
import { countedTarget } from "../../store/access.store.js";
import { auditLine } from "../audit.js";
import { requireRole } from "../auth/principal.js";
import { activationCodeHash, issueActivationCode } from "../auth/secrets.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  successResponse,
  timeSchema,
} from "../responses.js";

/** Subjects per enrollment request: each gets its own activation code, stored as a hash. */
export const enrollRequestSubjectsMax = 1_000;
/** How long an activation code given at enrollment stays valid. */
export const activationCodeDaysValid = 30;

const enrollBodySchema = z.strictObject({
  subjects: z
    .array(subjectRowSchema)
    .min(1)
    .max(enrollRequestSubjectsMax)
    .refine(
      (subjects) => new Set(subjects.map((subject) => subject.id)).size === subjects.length,
      "a subject id may appear only once per request",
    ),
});

const enrolledSchema = z.object({
  id: z.string(),
  outcome: z.enum(["enrolled", "already_enrolled"]),
  activation: z
    .enum(["issued", "already_active"])
    .describe(
      "issued: a new one-time code (it replaces an unused earlier one); already_active: the person has set a passphrase, no code is issued",
    ),
  activationCode: z
    .string()
    .optional()
    .describe("shown once: give it to the person; only its hash is stored"),
  activationExpiresAt: timeSchema.optional(),
});

/** Admins enroll subjects in bulk; each gets a one-time activation code to set a passphrase. */
export const subjectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/v1/subjects",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["admin"],
        summary: "Enroll subjects in bulk (admin key)",
        description: `At most ${enrollRequestSubjectsMax} subjects per request. Each new subject starts at the base score and gets a one-time activation code, valid ${activationCodeDaysValid} days, shown only in this answer.`,
        security: bearerSecurity,
        body: enrollBodySchema,
        response: {
          200: successResponse(
            z.object({ subjects: z.array(enrolledSchema) }),
            "One outcome per subject, with a one-time activation code when one is issued",
          ),
          ...problemResponses(...bodyErrors, "forbidden"),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["admin"]);
      const { store, clock } = app.dependencies;
      const { subjects } = request.body;
      const now = clock();
      // Everyone in the request gets a new activation code but those who activated already.
      const active = new Set<string>();
      for (const subject of subjects) {
        if ((await store.account(subject.id))?.activatedAt !== undefined) active.add(subject.id);
      }
      const issuedTo = subjects.map((subject) => subject.id).filter((id) => !active.has(id));
      const outcomes = await store.enrollSubjects(subjects, now, (enrolled) =>
        auditLine(principal, "subjects.enroll", countedTarget(subjects.length, "subject"), {
          enrolled: enrolled.filter((outcome) => outcome === "enrolled").length,
          alreadyEnrolled: enrolled.filter((outcome) => outcome === "already_enrolled").length,
          activationCodesIssuedTo: issuedTo,
        }),
      );
      const expiresAt = now + days(activationCodeDaysValid);
      const answers: z.output<typeof enrolledSchema>[] = [];
      for (const [index, subject] of subjects.entries()) {
        const outcome = outcomes[index];
        if (outcome === undefined) throw new Error("the store answered fewer outcomes");
        if (active.has(subject.id)) {
          answers.push({ id: subject.id, outcome, activation: "already_active" });
          continue;
        }
        const code = issueActivationCode();
        await store.setActivationCode(subject.id, activationCodeHash(code), expiresAt);
        answers.push({
          id: subject.id,
          outcome,
          activation: "issued",
          activationCode: code,
          activationExpiresAt: formatInstant(expiresAt),
        });
      }
      return { subjects: answers };
    },
  );
};
