import type { Schemas } from "../api/client";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages.en";

type EntryLike = Pick<Schemas["CitizenEntry"], "status" | "counts">;

/** What a person needs to know first: does it count? Else why not. */
export type EntryStatusKey =
  | "counting"
  | "effective"
  | "pending_review"
  | "capped"
  | "disputed"
  | "reversed"
  | "rejected"
  | "expired";

export function entryStatusKey(entry: EntryLike): EntryStatusKey {
  return entry.counts ? "counting" : entry.status;
}

const tone: Readonly<Record<EntryStatusKey, string>> = {
  counting: "tone-info",
  effective: "tone-neutral",
  pending_review: "tone-warning",
  capped: "tone-neutral",
  disputed: "tone-warning",
  reversed: "tone-good",
  rejected: "tone-good",
  expired: "tone-neutral",
};

export function entryStatusLabelKey(key: EntryStatusKey): MessageKey {
  return `entryStatus.${key}`;
}

export function EntryStatusBadge({ entry }: Readonly<{ entry: EntryLike }>) {
  const { t } = useI18n();
  const key = entryStatusKey(entry);
  return <span className={`badge ${tone[key]}`}>{t(entryStatusLabelKey(key))}</span>;
}

/** Points, signed, coloured by direction (the sign is also in the text). */
export function Points({ points, text }: Readonly<{ points: number; text: string }>) {
  const direction = points > 0 ? "gain" : points < 0 ? "loss" : "none";
  return <span className={`points points-${direction}`}>{text}</span>;
}

/** Statuses whose points will never count again: reversed, rejected, expired. */
const over: ReadonlySet<string> = new Set(["reversed", "rejected", "expired"]);

/** Whether the entry's points are out of the score for good (so no expiry date matters). */
export function noLongerCounts(entry: Pick<Schemas["CitizenEntry"], "status">): boolean {
  return over.has(entry.status);
}

/**
 * An entry's points as they stand: "−10 points", or for an entry that no longer counts
 * "0 now (was −10)" in muted ink, so a reversed fine never reads like a live one.
 */
export function EntryPoints({
  entry,
}: Readonly<{ entry: Pick<Schemas["CitizenEntry"], "status" | "points"> }>) {
  const { t } = useI18n();
  const format = useFormats();
  const points = format.points(entry.points);
  if (noLongerCounts(entry)) {
    return <span className="points points-void">{t("common.pointsWere", { points })}</span>;
  }
  return <Points points={entry.points} text={t("common.points", { points })} />;
}
