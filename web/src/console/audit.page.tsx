import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { type Translate, useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScrollTable } from "../ui/scroll-table";
import { AuditDetails } from "./audit-details";

/** Every admin action, newest first: who did what to what. */
export default function AuditPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const audit = useResource(
    () => unwrap(operatorApi.GET("/v1/audit", { params: { query: { limit: 200 } } })),
    [],
  );
  return (
    <Page title={t("console.audit.title")}>
      <Loaded resource={audit}>
        {({ entries }) => (
          <ScrollTable
            label={t("console.audit.title")}
            columns={[
              t("console.audit.when"),
              t("console.audit.who"),
              t("console.audit.action"),
              t("console.audit.target"),
              t("console.audit.details"),
            ]}
          >
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="audit-when">
                  {/* A phone's narrow column gets the numeric date, which fits on two lines. */}
                  <time dateTime={entry.at}>
                    <span className="wide-only">{format.dateTime(entry.at)}</span>
                    <span className="narrow-only">{format.dateTimeShort(entry.at)}</span>
                  </time>
                </td>
                <td>{entry.actor}</td>
                <td>{label("auditAction", entry.action)}</td>
                <td>{targetText(entry.target, t, format.number)}</td>
                <td>
                  <AuditDetails details={entry.details} />
                </td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </Loaded>
    </Page>
  );
}

/**
 * What an action was done to, in words. The API writes `<kind>:<name>` ("credential:ab12",
 * "rulebook:3"), "rulebook", or "<n> subjects" for an enrollment and the demo seed; anything else is shown as it is.
 */
function targetText(target: string, t: Translate, number: (value: number) => string): string {
  const enrolled = /^(\d+) subjects?$/.exec(target);
  if (enrolled) {
    const count = Number(enrolled[1]);
    return t(count === 1 ? "console.audit.subjectsOne" : "console.audit.subjectsOther", {
      count: number(count),
    });
  }
  if (target === "rulebook") return t("console.audit.targetRulebook");
  const [kind, ...rest] = target.split(":");
  const name = rest.join(":");
  if (name === "") return target;
  if (kind === "credential") return t("console.audit.targetKey", { name });
  if (kind === "partner") return t("console.audit.targetPartner", { name });
  if (kind === "source") return t("console.audit.targetSource", { name });
  if (kind === "rulebook") return t("console.audit.targetVersion", { name });
  return target;
}
