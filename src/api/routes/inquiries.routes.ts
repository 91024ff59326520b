import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { answerInquiry } from "../../access/inquiry.service.js";
import { employmentConsentDaysMax, type InquiryRefusal } from "../../core/consent.js";
import { disclosures, disclosuresByPurpose, purposes } from "../../core/purpose.js";
import { ratings } from "../../core/rating.js";
import { formatInstant } from "../../core/time.js";
import { requireRole } from "../auth/principal.js";
import { ApiError, type ErrorCode } from "../errors.js";
import { nameSchema, subjectIdSchema } from "../fields.js";
import { bearerSecurity, bodyErrors, problemResponses, timeSchema } from "../responses.js";

const inquiryBodySchema = z
  .strictObject({
    subjectId: subjectIdSchema,
    purpose: z.enum(purposes),
    disclosure: z.enum(disclosures),
    benefitId: nameSchema.optional().describe("the programme, for `eligibility` (required then)"),
  })
  .refine((body) => body.disclosure !== "eligibility" || body.benefitId !== undefined, {
    message: "an eligibility question names its `benefitId`",
    path: ["benefitId"],
  });

const inquiryAnswerSchema = z.object({
  inquiryId: z.number().int().describe("the subject sees this inquiry"),
  subjectId: z.string(),
  partner: z.string(),
  purpose: z.enum(purposes),
  disclosure: z.enum(disclosures),
  legalGround: z.enum(["consent", "public_task"]),
  at: timeSchema,
  rating: z.enum(ratings).optional().describe("disclosure `rating`"),
  score: z.number().int().optional().describe("disclosure `score`"),
  benefitId: z.string().optional().describe("disclosure `eligibility`"),
  eligible: z.boolean().optional().describe("disclosure `eligibility`: yes or no, nothing more"),
});

/** A refusal that is about the subject's consent, not about what the partner may ask at all. */
const consentRefusals: readonly InquiryRefusal[] = [
  "no_live_consent",
  "employment_consent_too_old",
];

const purposeTable = purposes
  .map((purpose) => `\`${purpose}\`: ${disclosuresByPurpose[purpose].join(", ")}`)
  .join("; ");

/**
 * Partners ask for one thing about one subject for one declared purpose. Every question is an
 * inquiry the subject sees, allowed or refused. A partner never sees entries.
 */
export const inquiryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, clock } = app.dependencies;

  app.post(
    "/v1/inquiries",
    {
      config: { roles: ["partner"] },
      schema: {
        tags: ["partners"],
        summary: "Ask for a subject's rating, score or benefit eligibility (partner key)",
        description: [
          "Allowed only for a purpose the partner declared, with a live consent of the subject for this partner and purpose;",
          `an employment question needs a consent given within the last ${employmentConsentDaysMax} days.`,
          "Authorities acting on `public_task` need no consent.",
          `Each purpose discloses only: ${purposeTable}.`,
          "Every question, allowed or refused, is logged and shown to the subject.",
          "Refusals are 403 problems with `refusal` naming the reason: `consent_required` for the subject's consent, `forbidden` for what the partner may not ask at all.",
          "An unknown subject is answered like a subject without consent; only an authority's allowed question learns `not_found`.",
        ].join(" "),
        security: bearerSecurity,
        body: inquiryBodySchema,
        response: {
          200: inquiryAnswerSchema,
          ...problemResponses(
            ...bodyErrors,
            "forbidden",
            "consent_required",
            "not_found",
            "unprocessable",
          ),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, ["partner"]);
      const partner = await store.partner(principal.name);
      if (!partner) {
        throw new ApiError("forbidden", `the partner '${principal.name}' is not registered`);
      }
      const { subjectId, purpose, disclosure, benefitId } = request.body;
      const answer = await answerInquiry(store, {
        partner,
        question: { subjectId, purpose, disclosure, benefitId },
        now: clock(),
      });
      switch (answer.kind) {
        case "unknown_benefit":
          throw new ApiError("unprocessable", `there is no benefit '${benefitId}'`, {
            benefitIds: answer.benefitIds,
          });
        case "unknown_subject":
          throw new ApiError("not_found", `there is no subject '${subjectId}'`);
        case "refused": {
          const code: ErrorCode = consentRefusals.includes(answer.refusal)
            ? "consent_required"
            : "forbidden";
          throw new ApiError(code, answer.message, { refusal: answer.refusal });
        }
        case "disclosed": {
          const { inquiry } = answer;
          return {
            inquiryId: inquiry.id,
            subjectId: inquiry.subjectId,
            partner: inquiry.partner,
            purpose: inquiry.purpose,
            disclosure: inquiry.disclosure,
            legalGround: answer.legalGround,
            at: formatInstant(inquiry.at),
            ...answer.disclosed,
          };
        }
      }
    },
  );
};
