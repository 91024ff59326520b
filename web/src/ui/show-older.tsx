import type { OlderPages } from "../api/use-pages";
import { useI18n } from "../i18n/i18n";
import { ProblemMessage } from "./problem-message";

/**
 * "Show older" under a list paged from its newest: loads the next page, which the list appends;
 * gone once the list has reached its first item.
 */
export function ShowOlder({ older, label }: Readonly<{ older: OlderPages; label: string }>) {
  const { t } = useI18n();
  if (!older.available) return null;
  return (
    <div className="show-older">
      {older.error === undefined ? null : <ProblemMessage error={older.error} />}
      <button
        type="button"
        className="button secondary"
        onClick={older.show}
        disabled={older.busy}
        aria-busy={older.busy}
      >
        {older.busy ? t("common.loading") : label}
      </button>
    </div>
  );
}

/**
 * The first item of the page shown last takes focus, so that a keyboard or screen reader user
 * goes on reading where the list grew (the button may be gone). Pass it as the item's `ref`.
 */
export function focusWhenShown(element: HTMLElement | null): void {
  element?.focus();
}
