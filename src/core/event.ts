import { z } from "zod";
import { findForbiddenTerm } from "./category.js";
import { formatPath } from "./field-path.js";
import { type Outcome, refusal } from "./outcome.js";
import { type Instant, parseInstant } from "./time.js";

/** Limits on one event, enforced before anything is stored. */
export const eventIdLengthMax = 128;
export const subjectIdLengthMax = 64;
export const evidenceTextLengthMax = 1_000;
export const attributeCountMax = 16;
export const attributeTextLengthMax = 200;

/**
 * Data minimisation (charter item 8): attributes may describe the conduct, never carry
 * location traces, face templates or other biometric data. These names are refused, alone or as
 * whole `_`-separated parts of a longer name (`gps_lat`, `face_vector`, `home_latitude`).
 * Special categories (charter item 7) are refused besides, by the rulebook compiler's terms, in
 * attribute names and text values alike.
 */
export const attributeKeysForbidden = [
  "latitude",
  "longitude",
  "lat",
  "lon",
  "lng",
  "gps",
  "geo",
  "geolocation",
  "coords",
  "location",
  "position",
  "address",
  "location_trace",
  "trajectory",
  "tracking",
  "photo",
  "selfie",
  "image",
  "video",
  "voice",
  "retina",
  "face",
  "face_template",
  "face_embedding",
  "embedding",
  "biometric",
  "fingerprint",
  "iris",
  "geohash",
  "coordinates",
];

/** True when an attribute name is, or has as whole `_`-separated parts, a forbidden name. */
export function isForbiddenAttributeKey(key: string): boolean {
  const padded = `_${key}_`;
  return attributeKeysForbidden.some((name) => padded.includes(`_${name}_`));
}

/** Two decimal degrees side by side ("52.5200, 13.4050"): a position, whatever its name. */
const coordinatePair = /-?\d{1,3}\.\d{2,}\s*[,;/ ]\s*-?\d{1,3}\.\d{2,}/;

/** Why charter items 7 and 8 refuse an attribute value, if they do. */
function forbiddenAttributeValue(value: string | number | boolean): string | undefined {
  if (typeof value !== "string") return undefined;
  if (coordinatePair.test(value)) {
    return "holds coordinates, forbidden by charter item 8 (data minimisation)";
  }
  const found = findForbiddenTerm(value);
  if (found) return specialCategoryMessage(found);
  return undefined;
}

function specialCategoryMessage(found: Readonly<{ category: string; term: string }>): string {
  return `uses '${found.term}', a term of the forbidden special category '${found.category}' (charter item 7)`;
}

const text = (lengthMax: number) => z.string().trim().min(1).max(lengthMax);
const identifier = (lengthMax: number) =>
  z
    .string()
    .min(1)
    .max(lengthMax)
    .regex(/^[A-Za-z0-9._:@-]+$/, "may hold only letters, digits and . _ : @ -");

export const evidenceSchema = z.strictObject({
  description: text(evidenceTextLengthMax),
  reference: text(200).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
});

const attributeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "attribute names are lower case letters, digits and _")
  .superRefine((key, context) => {
    if (isForbiddenAttributeKey(key)) {
      context.addIssue({
        code: "custom",
        message: "this attribute is forbidden by charter item 8 (data minimisation)",
      });
      return;
    }
    const found = findForbiddenTerm(key);
    if (found) context.addIssue({ code: "custom", message: specialCategoryMessage(found) });
  });

const attributeValue = z
  .union([z.string().max(attributeTextLengthMax), z.number(), z.boolean()])
  .superRefine((value, context) => {
    const why = forbiddenAttributeValue(value);
    if (why) context.addIssue({ code: "custom", message: why });
  });

export const eventInputSchema = z.strictObject({
  id: identifier(eventIdLengthMax),
  subject: identifier(subjectIdLengthMax),
  type: z.string().min(1).max(128),
  occurredAt: z
    .string()
    .max(40)
    .refine(
      (value) => parseInstant(value) !== undefined,
      "must be an ISO 8601 time with a zone, e.g. 2026-03-01T08:30:00Z",
    ),
  evidence: evidenceSchema,
  confidence: z.number().min(0).max(1).optional(),
  region: identifier(64).optional(),
  attributes: z
    .record(attributeKey, attributeValue)
    .refine(
      (record) => Object.keys(record).length <= attributeCountMax,
      `at most ${attributeCountMax} attributes`,
    )
    .optional(),
});
export type EventInput = z.input<typeof eventInputSchema>;

export type Evidence = Readonly<z.infer<typeof evidenceSchema>>;

/** A conduct report that passed validation. `id` is the source's idempotency key. */
export type ConductEvent = Readonly<{
  id: string;
  subject: string;
  type: string;
  occurredAt: Instant;
  evidence: Evidence;
  confidence: number | undefined;
  region: string | undefined;
  attributes: Readonly<Record<string, string | number | boolean>> | undefined;
}>;

export type ValidationResult = { ok: true; event: ConductEvent } | { ok: false; outcome: Outcome };

/** Validates one decoded event; the refusal names the first bad field. */
export function validateEvent(input: unknown): ValidationResult {
  const parsed = eventInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? formatPath(issue.path) : "";
    // A bad attribute name is reported as "Invalid key in record"; the reason is nested inside.
    const message =
      issue?.code === "invalid_key"
        ? (issue.issues[0]?.message ?? issue.message)
        : (issue?.message ?? "invalid event");
    return { ok: false, outcome: refusal("invalid_field", path ? `${path}: ${message}` : message) };
  }
  const value = parsed.data;
  return {
    ok: true,
    event: {
      id: value.id,
      subject: value.subject,
      type: value.type,
      occurredAt: parseInstant(value.occurredAt) as Instant,
      evidence: value.evidence,
      confidence: value.confidence,
      region: value.region,
      attributes: value.attributes,
    },
  };
}

/**
 * The event's content in a canonical form: two reports with the same id are the same report
 * exactly when these strings are equal (key order, time notation and an empty attribute object
 * instead of none do not matter).
 */
export function canonicalPayload(event: ConductEvent): string {
  const attributes = Object.entries(event.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([
    event.subject,
    event.type,
    event.occurredAt,
    [event.evidence.description, event.evidence.reference ?? null, event.evidence.url ?? null],
    event.confidence ?? null,
    event.region ?? null,
    attributes.length > 0 ? attributes : null,
  ]);
}
