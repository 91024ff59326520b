import type { Schemas } from "../api/client";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { actorText } from "./actor";
import { useCitizenSession } from "./citizen-session";

/** An appeal's progress: open with its deadline, or decided, by whom and why. */
export function AppealCard({ appeal }: Readonly<{ appeal: Schemas["Appeal"] }>) {
  const { t, label } = useI18n();
  const format = useFormats();
  const { subjectId } = useCitizenSession();
  const daysLeft = format.daysUntil(appeal.deadlineAt);
  return (
    <article className="card appeal" aria-label={t("appeal.cardLabel", { id: appeal.id })}>
      <p>
        <span
          className={`badge ${appeal.state === "open" ? "tone-warning" : appeal.state === "reversed" ? "tone-good" : "tone-neutral"}`}
        >
          {label("appealState", appeal.state)}
        </span>{" "}
        <span className="muted">
          {t("appeal.opened", { date: format.dateTime(appeal.openedAt) })}
        </span>
      </p>
      <blockquote>{appeal.statement}</blockquote>
      {appeal.evidenceUrl ? (
        <p>
          <a href={appeal.evidenceUrl} rel="noreferrer noopener" target="_blank">
            {t("appeal.evidenceLink")}
          </a>
        </p>
      ) : null}
      {appeal.state === "open" ? (
        <p>
          {t("appeal.deadline", {
            date: format.date(appeal.deadlineAt),
            days: Math.max(0, daysLeft),
          })}
        </p>
      ) : (
        <p>
          {appeal.decidedAtDeadline
            ? t("appeal.decidedAtDeadline")
            : t("appeal.decided", {
                who: appeal.decidedBy ? actorText(appeal.decidedBy, subjectId, t) : "",
                date: appeal.decidedAt ? format.dateTime(appeal.decidedAt) : "",
              })}
          {appeal.reason ? (
            <>
              <br />
              {t("appeal.reason", { reason: appeal.reason })}
            </>
          ) : null}
        </p>
      )}
    </article>
  );
}
