import { Link } from "react-router";
import { citizenApi, unwrap } from "../api/client";
import { usePages } from "../api/use-pages";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { focusWhenShown, ShowOlder } from "../ui/show-older";
import { notificationText } from "./notification-text";

/** Notifications a page of the feed holds: the newest come first, older ones on demand. */
const notificationsPerPage = 100;

/** What happened to my record, newest first. */
export default function NotificationsPage() {
  const { t, label } = useI18n();
  const format = useFormats();
  const { resource, older } = usePages(async (after) => {
    const query = { after, limit: notificationsPerPage };
    const answer = await unwrap(citizenApi.GET("/v1/me/notifications", { params: { query } }));
    return { items: answer.notifications, next: answer.next };
  }, []);
  return (
    <Page title={t("notifications.title")}>
      <Loaded resource={resource}>
        {(notifications) =>
          notifications.length === 0 ? (
            <p>{t("notifications.empty")}</p>
          ) : (
            <ul className="plain-list">
              {notifications.map((notification, index) => (
                <li
                  key={notification.id}
                  className="card notification"
                  tabIndex={-1}
                  ref={index === older.startIndex ? focusWhenShown : undefined}
                >
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
      <ShowOlder older={older} label={t("notifications.showOlder")} />
    </Page>
  );
}
