import { Link } from "react-router";
import { citizenApi, unwrap } from "../api/client";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { notificationText } from "./notification-text";

/** What happened to my record, newest first. */
export default function NotificationsPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const notifications = useResource(
    () => unwrap(citizenApi.GET("/v1/me/notifications", { params: { query: { limit: 200 } } })),
    [],
  );
  return (
    <Page title={t("notifications.title")}>
      <Loaded resource={notifications}>
        {({ notifications }) =>
          notifications.length === 0 ? (
            <p>{t("notifications.empty")}</p>
          ) : (
            <ul className="plain-list">
              {notifications.map((notification) => (
                <li key={notification.id} className="card notification">
                  <p>
                    <strong>{label("notification", notification.kind)}</strong>{" "}
                    <span className="muted">{format.dateTime(notification.at)}</span>
                  </p>
                  <p>{notificationText(notification, { t, label, format })}</p>
                  {notification.entryId === undefined ? null : (
                    <Link to={`/history/${notification.entryId}`}>
                      {t("notifications.seeEntry", { id: notification.entryId })}
                    </Link>
                  )}
                  {notification.inquiryId === undefined ? null : (
                    <Link to="/access-log">{t("notifications.seeAccessLog")}</Link>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Page>
  );
}
