import type { Problem } from "../api/client";
import type { Formats } from "../i18n/format";
import type { Translator } from "../i18n/i18n";

type ProblemFacts = Partial<Problem>;

/**
 * A problem in the reader's language, worded from its `reason` and facts (the API's `detail` is
 * English). Undefined for a problem without a reason, a reason this app does not know (a newer
 * server) or one whose facts are missing: the caller then shows the detail.
 */
export function problemText(
  problem: ProblemFacts,
  { t, label, format }: Translator & Readonly<{ format: Formats }>,
): string | undefined {
  switch (problem.reason) {
    case "wrong_credentials":
    case "invalid_activation_code":
    case "session_invalid":
    case "credentials_missing":
    case "public_task_needs_no_consent":
    case "until_not_in_future":
      return t(`problem.reason.${problem.reason}`);
    case "too_many_sign_ins": {
      const { attemptsMax, retryAfterSeconds } = problem;
      if (attemptsMax === undefined || retryAfterSeconds === undefined) return undefined;
      return t("problem.reason.too_many_sign_ins", {
        attemptsMax: format.number(attemptsMax),
        seconds: format.number(retryAfterSeconds),
      });
    }
    case "too_many_requests": {
      const { requestsMax, retryAfterSeconds } = problem;
      if (requestsMax === undefined || retryAfterSeconds === undefined) return undefined;
      return t("problem.reason.too_many_requests", {
        requestsMax: format.number(requestsMax),
        seconds: format.number(retryAfterSeconds),
      });
    }
    case "unknown_partner":
      if (problem.partner === undefined) return undefined;
      return t("problem.reason.unknown_partner", { partner: problem.partner });
    case "purpose_not_declared": {
      const { partner, purpose, declaredPurposes } = problem;
      if (partner === undefined || purpose === undefined || declaredPurposes === undefined) {
        return undefined;
      }
      return t("problem.reason.purpose_not_declared", {
        partner,
        purpose: label("purpose", purpose),
        declaredPurposes: format.list(declaredPurposes.map((each) => label("purpose", each))),
      });
    }
    case "consent_too_long":
      if (problem.daysMax === undefined) return undefined;
      return t("problem.reason.consent_too_long", { days: format.number(problem.daysMax) });
    case "unknown_consent":
      if (problem.consentId === undefined) return undefined;
      return t("problem.reason.unknown_consent", { consentId: problem.consentId });
    case "unknown_entry":
    case "appealed_before":
      if (problem.entryId === undefined) return undefined;
      return t(`problem.reason.${problem.reason}`, { entryId: problem.entryId });
    case "entry_not_appealable": {
      const { entryId, entryStatus } = problem;
      if (entryId === undefined || entryStatus === undefined) return undefined;
      return t("problem.reason.entry_not_appealable", {
        entryId,
        status: t(`entryStatus.${entryStatus}`),
      });
    }
    default:
      return undefined;
  }
}

/** The form field a refusal is about, by its name in the request, where it is about one. */
export function reasonField(problem: ProblemFacts): string | undefined {
  switch (problem.reason) {
    case "unknown_partner":
      return "partner";
    case "purpose_not_declared":
      return "purpose";
    case "until_not_in_future":
    case "consent_too_long":
      return "until";
    case "invalid_activation_code":
      return "activationCode";
    default:
      return undefined;
  }
}
