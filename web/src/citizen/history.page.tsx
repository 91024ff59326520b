import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { useResource } from "../api/use-resource";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import {
  EntryPoints,
  EntryStatusBadge,
  type EntryStatusKey,
  entryStatusKey,
  entryStatusLabelKey,
} from "../ui/entry-status";
import { Loaded } from "../ui/loaded";
import { Page } from "../ui/page";
import { type CitizenEntry, loadAllEntries } from "./entries";

const statusFilters: readonly EntryStatusKey[] = [
  "counting",
  "pending_review",
  "disputed",
  "reversed",
  "rejected",
  "capped",
  "expired",
];

/** Every entry with its reason, points, status and expiry; filtered by status and type. */
export default function HistoryPage() {
  const { t, label } = useI18n();
  const entries = useResource(loadAllEntries, []);
  const [search, setSearch] = useSearchParams();
  const status = search.get("status") ?? "";
  const type = search.get("type") ?? "";
  const statusId = useId();
  const typeId = useId();
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value === "") next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: true });
  };
  return (
    <Page title={t("history.title")} intro={t("history.intro")}>
      <Loaded resource={entries}>
        {({ entries, complete }) => {
          // Each type by the words its entries show: "Traffic: Crossing a red light".
          const typeLabels = new Map(
            entries.map((entry) => [
              entry.ruleType,
              `${label("category", entry.category)}: ${entry.reason}`,
            ]),
          );
          const types = [...typeLabels].sort(([, left], [, right]) => left.localeCompare(right));
          const shown = entries.filter(
            (entry) =>
              (status === "" || entryStatusKey(entry) === status) &&
              (type === "" || entry.ruleType === type),
          );
          return (
            <>
              <form
                className="filters"
                aria-label={t("history.filters")}
                onSubmit={(event) => event.preventDefault()}
              >
                <div className="field">
                  <label htmlFor={statusId}>{t("history.filterStatus")}</label>
                  <select
                    id={statusId}
                    value={status}
                    onChange={(event) => setFilter("status", event.target.value)}
                  >
                    <option value="">{t("history.all")}</option>
                    {statusFilters.map((key) => (
                      <option key={key} value={key}>
                        {t(entryStatusLabelKey(key))}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={typeId}>{t("history.filterType")}</label>
                  <select
                    id={typeId}
                    value={type}
                    onChange={(event) => setFilter("type", event.target.value)}
                  >
                    <option value="">{t("history.all")}</option>
                    {types.map(([ruleType, typeLabel]) => (
                      <option key={ruleType} value={ruleType}>
                        {typeLabel}
                      </option>
                    ))}
                  </select>
                </div>
              </form>
              <p role="status" className="muted">
                {t("history.count", { shown: shown.length, total: entries.length })}
              </p>
              {complete ? null : <p className="notice">{t("history.truncated")}</p>}
              {shown.length === 0 ? (
                <p>{entries.length === 0 ? t("history.empty") : t("history.noMatch")}</p>
              ) : (
                <ul className="entry-list">
                  {shown.map((entry) => (
                    <EntryItem key={entry.id} entry={entry} />
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

function EntryItem({ entry }: Readonly<{ entry: CitizenEntry }>) {
  const { t } = useI18n();
  const format = useFormats();
  return (
    <li className="card entry">
      <div className="entry-head">
        <h2 className="entry-title">
          <Link to={`/history/${entry.id}`}>{entry.reason}</Link>
        </h2>
        <EntryPoints entry={entry} />
      </div>
      <div className="entry-meta">
        <EntryStatusBadge entry={entry} />
        <span>{t("history.occurred", { date: format.date(entry.occurredAt) })}</span>
        <span>{t("history.source", { source: entry.source })}</span>
        {entry.status === "reversed" || entry.status === "rejected" ? null : (
          <span>
            {Date.parse(entry.expiresAt) > Date.now()
              ? t("history.expires", { date: format.date(entry.expiresAt) })
              : t("history.expired", { date: format.date(entry.expiresAt) })}
          </span>
        )}
      </div>
      <p className="entry-evidence">{entry.evidence.description}</p>
    </li>
  );
}
