import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attributeCountMax,
  attributeKeysForbidden,
  attributeTextLengthMax,
  type ConductEvent,
  canonicalPayload,
  eventIdLengthMax,
  evidenceTextLengthMax,
  isForbiddenAttributeKey,
  subjectIdLengthMax,
  validateEvent,
} from "./event.js";

const good = {
  id: "police-2026:000123",
  subject: "c-42",
  type: "traffic.red_light",
  occurredAt: "2026-03-01T08:30:00Z",
  evidence: {
    description: "Officer's report 123",
    reference: "R-123",
    url: "https://evidence.example/123",
  },
  confidence: 0.95,
  region: "north",
  attributes: { junction: "Main St / 3rd Ave", speed_kmh: 42, night: true },
};

type Input = Record<string, unknown>;

function without(field: string): Input {
  const { [field]: _, ...rest } = good as Input;
  return rest;
}

function validated(input: unknown): ConductEvent {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(JSON.stringify(result.outcome));
  return result.event;
}

describe("validateEvent", () => {
  it("accepts a good event and reads its time as an instant", () => {
    expect(validateEvent(good)).toEqual({
      ok: true,
      event: { ...good, occurredAt: Date.UTC(2026, 2, 1, 8, 30) },
    });
  });

  it("accepts the smallest event: no confidence, region or attributes", () => {
    const event = validated({ ...without("confidence"), region: undefined, attributes: undefined });
    expect(event).toMatchObject({
      confidence: undefined,
      region: undefined,
      attributes: undefined,
    });
  });

  it("accepts values at every length limit", () => {
    expect(
      validateEvent({
        ...good,
        id: "i".repeat(eventIdLengthMax),
        subject: "s".repeat(subjectIdLengthMax),
        evidence: { description: "d".repeat(evidenceTextLengthMax) },
        attributes: Object.fromEntries(
          Array.from({ length: attributeCountMax }, (_, index) => [
            `a${index}`,
            "v".repeat(attributeTextLengthMax),
          ]),
        ),
        confidence: 0,
      }).ok,
    ).toBe(true);
    expect(validateEvent({ ...good, confidence: 1 }).ok).toBe(true);
  });

  const bad: [string, Input, string][] = [
    ["missing id", without("id"), "id"],
    ["empty id", { ...good, id: "" }, "id"],
    ["id with a space", { ...good, id: "a b" }, "id"],
    ["id too long", { ...good, id: "i".repeat(eventIdLengthMax + 1) }, "id"],
    ["numeric id", { ...good, id: 123 }, "id"],
    ["missing subject", without("subject"), "subject"],
    ["subject too long", { ...good, subject: "s".repeat(subjectIdLengthMax + 1) }, "subject"],
    ["missing type", without("type"), "type"],
    ["empty type", { ...good, type: "" }, "type"],
    ["missing time", without("occurredAt"), "occurredAt"],
    ["time without zone", { ...good, occurredAt: "2026-03-01T08:30:00" }, "occurredAt"],
    ["time as a number", { ...good, occurredAt: 1772353800000 }, "occurredAt"],
    ["nonsense time", { ...good, occurredAt: "yesterday" }, "occurredAt"],
    ["impossible date", { ...good, occurredAt: "2026-02-30T08:30:00Z" }, "occurredAt"],
    ["missing evidence", without("evidence"), "evidence"],
    ["blank evidence", { ...good, evidence: { description: "   " } }, "evidence.description"],
    [
      "oversized evidence",
      { ...good, evidence: { description: "d".repeat(evidenceTextLengthMax + 1) } },
      "evidence.description",
    ],
    [
      "evidence url of another scheme",
      { ...good, evidence: { description: "x", url: "javascript:alert(1)" } },
      "evidence.url",
    ],
    [
      "unknown evidence field",
      { ...good, evidence: { description: "x", photo: "base64..." } },
      "evidence",
    ],
    ["NaN confidence", { ...good, confidence: Number.NaN }, "confidence"],
    ["infinite confidence", { ...good, confidence: Number.POSITIVE_INFINITY }, "confidence"],
    ["string confidence", { ...good, confidence: "0.9" }, "confidence"],
    ["null confidence", { ...good, confidence: null }, "confidence"],
    ["confidence above 1", { ...good, confidence: 1.01 }, "confidence"],
    ["negative confidence", { ...good, confidence: -0.1 }, "confidence"],
    ["region with a space", { ...good, region: "north pole" }, "region"],
    [
      "too many attributes",
      {
        ...good,
        attributes: Object.fromEntries(
          Array.from({ length: attributeCountMax + 1 }, (_, index) => [`a${index}`, index]),
        ),
      },
      "attributes",
    ],
    [
      "oversized attribute",
      { ...good, attributes: { note: "n".repeat(attributeTextLengthMax + 1) } },
      "attributes.note",
    ],
    ["attribute object", { ...good, attributes: { nested: { a: 1 } } }, "attributes.nested"],
    ["attribute array", { ...good, attributes: { list: [1, 2] } }, "attributes.list"],
    ["attribute name in capitals", { ...good, attributes: { Speed: 1 } }, "attributes"],
  ];

  it.each(bad)("refuses %s with invalid_field naming %s", (_, input, field) => {
    const result = validateEvent(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.outcome.kind).toBe("invalid_field");
    expect("message" in result.outcome && result.outcome.message).toMatch(
      new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}[.:\\[]`),
    );
  });

  it.each([
    ...attributeKeysForbidden,
    "home_latitude",
    "gps_lat",
    "face_vector",
    "iris_code",
    "last_gps_fix",
    "route_coordinates",
  ])("refuses the forbidden attribute %s (charter item 8)", (key) => {
    const result = validateEvent({ ...good, attributes: { [key]: "1" } });
    expect(result).toMatchObject({
      ok: false,
      outcome: {
        kind: "invalid_field",
        message: expect.stringMatching(/^attributes.*data minimisation/),
      },
    });
  });

  it.each([
    ["ethnicity", "x", "ethnicity"],
    ["religion", "x", "religion"],
    ["home_church", "x", "religion"],
    ["note", "seen leaving the mosque", "religion"],
    ["reason", "Took part in a protest", "political_opinion"],
    ["companion", "x", "association"],
    ["shop", "sells antiretroviral medication", "health"],
  ])(
    "refuses a special category in an attribute's name or text: %s = %j (charter item 7)",
    (key, value, category) => {
      const result = validateEvent({ ...good, attributes: { [key]: value } });
      expect(result).toMatchObject({
        ok: false,
        outcome: {
          kind: "invalid_field",
          message: expect.stringContaining(`forbidden special category '${category}'`),
        },
      });
    },
  );

  it.each(["52.52,13.405", "lat/lng 52.5200 / 13.4050", "-33.8688; 151.2093"])(
    "refuses coordinates in any attribute's text: %j (charter item 8)",
    (value) => {
      const result = validateEvent({ ...good, attributes: { spot: value } });
      expect(result).toMatchObject({
        ok: false,
        outcome: { kind: "invalid_field", message: expect.stringContaining("coordinates") },
      });
    },
  );

  it.each(["Main St / 3rd Ave", "12.5 km/h over, 3.25 s", "plate AB-123", "ticket 2026.0042"])(
    "keeps an attribute text that is neither: %j",
    (value) => {
      expect(validateEvent({ ...good, attributes: { note: value } })).toMatchObject({ ok: true });
    },
  );

  it.each(["speed_kmh", "flat_number", "surface", "latitudinal_note_x", "lane", "iris_garden"])(
    "tells forbidden names from innocent ones: %s",
    (key) => {
      const forbidden = key === "iris_garden";
      expect(isForbiddenAttributeKey(key)).toBe(forbidden);
    },
  );

  it("refuses an unknown top-level field such as a location", () => {
    const result = validateEvent({ ...good, location: "51.5,-0.1" });
    expect(result).toMatchObject({ ok: false, outcome: { kind: "invalid_field" } });
    if (!result.ok) expect(JSON.stringify(result.outcome)).toContain("location");
  });

  it.each([null, undefined, "event", 42, [], [good]])("refuses %j as a whole", (input) => {
    expect(validateEvent(input)).toMatchObject({ ok: false, outcome: { kind: "invalid_field" } });
  });
});

describe("canonicalPayload", () => {
  const base = validated(good);

  it("ignores the order of attribute keys", () => {
    const reordered = validated({
      ...good,
      attributes: { night: true, speed_kmh: 42, junction: "Main St / 3rd Ave" },
    });
    expect(canonicalPayload(reordered)).toBe(canonicalPayload(base));
  });

  it.each([
    "2026-03-01T09:30:00+01:00",
    "2026-03-01T08:30:00.000Z",
    "2026-03-01T08:30Z",
    "2026-03-01T03:30:00-05:00",
  ])("ignores the notation of the same instant (%s)", (occurredAt) => {
    expect(canonicalPayload(validated({ ...good, occurredAt }))).toBe(canonicalPayload(base));
  });

  it("treats an empty attribute object like no attributes", () => {
    const none = validated({ ...good, attributes: undefined });
    expect(canonicalPayload(validated({ ...good, attributes: {} }))).toBe(canonicalPayload(none));
  });

  it("does not include the id: the id is the key the payload is compared under", () => {
    expect(canonicalPayload(validated({ ...good, id: "other" }))).toBe(canonicalPayload(base));
  });

  it.each<[string, Input]>([
    ["subject", { subject: "c-43" }],
    ["type", { type: "traffic.jaywalking" }],
    ["time by one millisecond", { occurredAt: "2026-03-01T08:30:00.001Z" }],
    ["evidence description", { evidence: { ...good.evidence, description: "Report 124" } }],
    ["evidence reference", { evidence: { ...good.evidence, reference: "R-124" } }],
    [
      "evidence reference removed",
      { evidence: { description: good.evidence.description, url: good.evidence.url } },
    ],
    ["evidence url", { evidence: { ...good.evidence, url: "https://evidence.example/124" } }],
    ["confidence", { confidence: 0.96 }],
    ["confidence removed", { confidence: undefined }],
    ["region", { region: "south" }],
    ["region removed", { region: undefined }],
    ["attribute value", { attributes: { ...good.attributes, speed_kmh: 43 } }],
    ["attribute value type", { attributes: { ...good.attributes, speed_kmh: "42" } }],
    ["attribute boolean as text", { attributes: { ...good.attributes, night: "true" } }],
    ["attribute added", { attributes: { ...good.attributes, lane: 2 } }],
    ["attribute removed", { attributes: { junction: "Main St / 3rd Ave", speed_kmh: 42 } }],
    [
      "attribute renamed",
      { attributes: { junction: "Main St / 3rd Ave", speed: 42, night: true } },
    ],
  ])("differs when the %s differs", (_, change) => {
    expect(canonicalPayload(validated({ ...good, ...change }))).not.toBe(canonicalPayload(base));
  });

  it("is equal exactly for events equal up to attribute order (property)", () => {
    const attributes = fc.dictionary(
      fc.constantFrom("a", "b", "c", "lane"),
      fc.oneof(fc.constantFrom("1", "x", ""), fc.constantFrom(1, 2), fc.boolean()),
    );
    const event = fc.record({
      subject: fc.constantFrom("s1", "s2"),
      type: fc.constantFrom("traffic.red_light", "civic.volunteering"),
      occurredAt: fc.constantFrom(0, 1, 60_000),
      evidence: fc.record(
        { description: fc.constantFrom("a", "b"), reference: fc.constantFrom("r", "q") },
        { requiredKeys: ["description"] },
      ),
      confidence: fc.option(fc.constantFrom(0.5, 1), { nil: undefined }),
      region: fc.option(fc.constantFrom("north", "south"), { nil: undefined }),
      attributes: fc.option(attributes, { nil: undefined }),
    });
    const normalised = (value: ConductEvent) =>
      JSON.stringify({
        ...value,
        id: undefined,
        evidence: { description: value.evidence.description, reference: value.evidence.reference },
        attributes: Object.keys(value.attributes ?? {}).length
          ? Object.fromEntries(Object.entries(value.attributes ?? {}).sort())
          : undefined,
      });
    fc.assert(
      fc.property(event, event, fc.string(), (left, right, id) => {
        const a = { ...left, id } as ConductEvent;
        const b = { ...right, id: `${id}x` } as ConductEvent;
        expect(canonicalPayload(a) === canonicalPayload(b)).toBe(normalised(a) === normalised(b));
        const shuffled = {
          ...a,
          attributes: a.attributes && Object.fromEntries(Object.entries(a.attributes).reverse()),
        };
        expect(canonicalPayload(shuffled)).toBe(canonicalPayload(a));
      }),
      { numRuns: 300 },
    );
  });
});
