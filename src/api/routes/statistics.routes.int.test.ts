import { afterEach, beforeEach, expect, it } from "vitest";
import { days, formatInstant } from "../../core/time.js";
import { bearer, openTestApp, type TestApp } from "../../test-support/api.js";

let test: TestApp;
beforeEach(async () => {
  test = await openTestApp();
});
afterEach(() => test.close());

it("answers the rating distribution by region over time, weekly back from now", async () => {
  const enrolledAt = test.clock.now;
  await test.enroll([
    { id: "c-001", region: "north" },
    { id: "c-002", region: "south" },
  ]);
  const police = await test.addSource("police", "agency", ["traffic.*"]);
  test.clock.now = enrolledAt + days(8);
  const reported = await test.app.inject({
    method: "POST",
    url: "/v1/events",
    headers: bearer(police),
    payload: {
      events: [
        {
          id: "dd-1",
          subject: "c-001",
          type: "traffic.drunk_driving",
          occurredAt: formatInstant(enrolledAt + days(7)),
          evidence: { description: "Breath test 0.9 per mille" },
        },
      ],
    },
  });
  expect(reported.json().outcomes[0].outcome).toBe("accepted");
  test.clock.now = enrolledAt + days(9);

  const response = await test.app.inject({
    method: "GET",
    url: "/v1/statistics",
    headers: bearer(test.adminKey),
  });
  expect(response.statusCode).toBe(200);
  // Day 9, day 2, and day -5: the last point before anyone was enrolled.
  expect(response.json().ratingsOverTime).toEqual({
    points: [-5, 2, 9].map((day) => formatInstant(enrolledAt + days(day))),
    series: [
      { region: "north", rating: "A", subjects: [0, 1, 0] },
      { region: "north", rating: "B", subjects: [0, 0, 1] },
      { region: "south", rating: "A", subjects: [0, 1, 1] },
    ],
  });
});

it("describes the series in the OpenAPI document", async () => {
  const document = (await test.app.inject({ method: "GET", url: "/docs/json" })).json();
  const schema =
    document.paths["/v1/statistics"].get.responses["200"].content["application/json"].schema;
  expect(Object.keys(schema.properties.ratingsOverTime.properties)).toEqual(["points", "series"]);
});
