import type { Translate } from "../i18n/i18n";

/** The actor the API names when nobody decided an appeal in time (`overdueDecider`). */
const overdueDecider = "system:appeal-deadline";
const subjectPrefix = "subject:";
const systemPrefix = "system:";

/**
 * Who made a change, in words. The API names the citizen `subject:<id>`, the service
 * `system:<what>`, and a reviewer by the name on their key ("city-reviewers").
 */
export function actorText(actor: string, me: string | null | undefined, t: Translate): string {
  if (actor === overdueDecider) return t("actor.overdue");
  if (actor.startsWith(systemPrefix)) return t("actor.system");
  if (actor.startsWith(subjectPrefix)) {
    const subject = actor.slice(subjectPrefix.length);
    return subject === me ? t("actor.you") : t("actor.person", { id: subject });
  }
  return t("actor.reviewer", { name: actor });
}
