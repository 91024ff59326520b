import type { Schemas } from "../api/client";
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
