import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { answerInquiry } from "../../access/inquiry.service.js";
import {
  employmentConsentDaysMax,
  type InquiryRefusal,
  inquiryRefusals,
} from "../../core/consent.js";
import { disclosures, disclosuresByPurpose, purposes } from "../../core/purpose.js";
import { ratings } from "../../core/rating.js";
import { formatInstant } from "../../core/time.js";
import { requireRole } from "../auth/principal.js";
import { ApiError, type ErrorCode } from "../errors.js";
import { nameSchema, subjectIdSchema } from "../fields.js";
import {
  bearerSecurity,
  bodyErrors,
  problemResponses,
  requestBody,
  successResponse,
  timeSchema,
} from "../responses.js";

const inquiryQuestionSchema = z
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

const inquiryBodySchema = requestBody(inquiryQuestionSchema, {
  rating: {
    summary: "A bank asks for a rating, with the subject's consent for `credit`",
    value: { subjectId: "c-001", purpose: "credit", disclosure: "rating" },
  },
  eligibility: {
    summary: "A bank asks whether the subject may have a loan discount",
    value: {
      subjectId: "c-001",
      purpose: "credit",
      disclosure: "eligibility",
      benefitId: "loan_discount",
    },
  },
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
const partnerRefusals = inquiryRefusals.filter((refusal) => !consentRefusals.includes(refusal));

const inquiryAnswer = successResponse(
  inquiryAnswerSchema,
  "Allowed: the one thing asked for, and the inquiry's id as the subject sees it",
  {
    rating: {
      summary: "The rating, with the subject's consent",
      value: {
        inquiryId: 52_871,
        subjectId: "c-001",
        partner: "bank",
        purpose: "credit",
        disclosure: "rating",
        legalGround: "consent",
        at: "2026-06-01T12:00:00.000Z",
        rating: "A",
      },
    },
    eligibility: {
      summary: "A benefit's eligibility: yes or no, nothing more",
      value: {
        inquiryId: 52_872,
        subjectId: "c-001",
        partner: "bank",
        purpose: "credit",
        disclosure: "eligibility",
        legalGround: "consent",
        at: "2026-06-01T12:00:05.000Z",
        benefitId: "loan_discount",
        eligible: false,
      },
    },
  },
);

const codeList = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(", ");

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
          `A refusal is a 403 problem whose \`refusal\` names why, from a closed list: code \`consent_required\` with ${codeList(consentRefusals)} (the subject's consent is missing or too old), code \`forbidden\` with ${codeList(partnerRefusals)} (the partner may not ask this at all).`,
          "A 403 `forbidden` without `refusal` is about the caller: a key of another role (see `acceptedRoles`), or of a partner no longer registered.",
          "An unknown subject is answered exactly like a subject without consent; only an authority's allowed question learns `not_found`.",
          "An eligibility question for an unknown `benefitId` is a 422 `unprocessable` whose `benefitIds` lists the programmes of the rulebook in force.",
        ].join(" "),
        security: bearerSecurity,
        body: inquiryBodySchema,
        response: {
          200: inquiryAnswer,
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
