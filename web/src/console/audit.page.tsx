import { operatorApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { ScrollRegion } from "../ui/scroll-region";

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
          <ScrollRegion label={t("console.audit.title")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("console.audit.when")}</th>
                  <th scope="col">{t("console.audit.who")}</th>
                  <th scope="col">{t("console.audit.action")}</th>
                  <th scope="col">{t("console.audit.target")}</th>
                  <th scope="col">{t("console.audit.details")}</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Loaded>
    </Page>
  );
}
