/**
 * The closed list of answers ingestion gives for one event (DESIGN section 6).
 * Every input path reports one of these per event; none of them throws.
 */
export const outcomeKinds = [
  "accepted",
  "duplicate",
  "id_reused_with_different_payload",
  "unknown_event_type",
  "unknown_subject",
  "source_not_authorised_for_type",
  "occurred_in_future",
  "invalid_field",
  "malformed_json",
  "too_large",
] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

export type Outcome =
  | Readonly<{
      kind: "accepted";
      entryId: number;
      points: number;
      status: "effective" | "pending_review" | "capped";
    }>
  | Readonly<{ kind: "duplicate"; entryId: number }>
  | Readonly<{ kind: Exclude<OutcomeKind, "accepted" | "duplicate">; message: string }>;

export type OutcomeCounts = Record<OutcomeKind, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return Object.fromEntries(outcomeKinds.map((kind) => [kind, 0])) as OutcomeCounts;
}

export function refusal(
  kind: Exclude<OutcomeKind, "accepted" | "duplicate">,
  message: string,
): Outcome {
  return { kind, message };
}
