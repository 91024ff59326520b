import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScrollTable } from "../ui/scroll-table";

/** Every admin action, newest first: who did what to what. */
export default function AuditPage() {
  const { t } = useI18n();
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
                <td>{format.dateTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.target}</td>
                <td>
                  <code>{JSON.stringify(entry.details)}</code>
                </td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </Loaded>
    </Page>
  );
}
