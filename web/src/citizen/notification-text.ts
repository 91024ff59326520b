import type { components } from "../api/schema.gen";
import type { Formats } from "../i18n/format";
import type { LabelGroup, Translate } from "../i18n/i18n";

type Label = (group: LabelGroup, value: string) => string;

export type Notification = components["schemas"]["Notification"];

/**
 * A notification in the reader's language, worded from its facts (the API's `message` is
 * English). A rule's description is the rulebook's own text, shown as it is.
 */
export function notificationText(
  notification: Notification,
  { t, label, format }: Readonly<{ t: Translate; label: Label; format: Formats }>,
): string {
  const id = notification.entryId ?? "";
  switch (notification.kind) {
    case "entry_recorded":
    case "entry_pending_review": {
      const facts = {
        // A rule's description is a sentence; here it runs on into the notification's own.
        rule: (notification.ruleDescription ?? notification.ruleType).replace(/[.。]\s*$/, ""),
        points: format.points(notification.points),
        source: notification.source,
      };
      if (notification.kind === "entry_pending_review") {
        const confidence =
          notification.confidence === undefined ? "?" : format.percent(notification.confidence);
        return t("notifications.entryPending", { ...facts, confidence });
      }
      return notification.capped
        ? t("notifications.entryCapped", facts)
        : t("notifications.entryRecorded", facts);
    }
    case "entry_reviewed":
      return t(
        notification.decision === "confirmed"
          ? "notifications.reviewConfirmed"
          : "notifications.reviewRejected",
        { id, reason: notification.reason },
      );
    case "appeal_decided":
      if (notification.overdue) return t("notifications.appealOverdue", { id });
      return t(
        notification.outcome === "reversed"
          ? "notifications.appealGranted"
          : "notifications.appealRefused",
        { id, reason: notification.reason ?? "" },
      );
    case "inquiry_made": {
      const asked = {
        partner: notification.partner,
        disclosure: t(`notifications.asked.${notification.disclosure}`),
        purpose: t(`purpose.${notification.purpose}`),
      };
      return notification.allowed
        ? t("notifications.inquiryAllowed", asked)
        : t("notifications.inquiryRefused", {
            ...asked,
            refusal: label("refusal", notification.refusal ?? ""),
          });
    }
    case "rating_changed":
      return t("notifications.ratingChanged", {
        from: notification.from,
        to: notification.to,
        score: format.number(notification.score),
        cause: t(`notifications.cause.${notification.cause}`),
      });
    case "benefit_gained":
      return t("notifications.benefitGained", { benefit: notification.benefitName });
    case "benefit_lost":
      return t("notifications.benefitLost", { benefit: notification.benefitName });
  }
}
