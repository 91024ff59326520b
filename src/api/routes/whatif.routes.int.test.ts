import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rulebookBytesMax } from "../../core/rulebook.parse.js";
import { openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { call, conductEvent, report } from "../../test-support/citizen.js";
import { defaultRulebookText } from "../../test-support/core.js";

let test: TestApp;
let police: string;

const redLight =
  "    points: -10\n    expiresAfterDays: 365\n    legalBasis: Road Traffic Regulations, signal";
const lowered = defaultRulebookText.replace("  A: 1000\n", "  A: 985\n");
const harsher = defaultRulebookText.replace(redLight, redLight.replace("-10", "-100"));
const forbidden = defaultRulebookText.replace(
  "\nbenefits:",
  `
  - type: civic.party_newspaper
    category: political_opinion
    points: 5
    expiresAfterDays: 365
    legalBasis: Party regulation
    description: Read the party newspaper.
\nbenefits:`,
);
const aliasBomb = `${Array.from({ length: 9 }, (_, index) => {
  const name = "abcdefghi"[index];
  return index === 0
    ? `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`
    : `${name}: &${name} [${Array(9)
        .fill(`*${"abcdefghi"[index - 1]}`)
        .join(",")}]`;
}).join("\n")}\ntitle: *i\n`;

/** amy (north) one red light: 990, B; ben (north) two: 980, B; cho (south) none: 1000, A. */
beforeAll(async () => {
  test = await openTestApp();
  await test.enroll([
    { id: "amy", region: "north" },
    { id: "ben", region: "north" },
    { id: "cho", region: "south" },
  ]);
  police = await test.addSource("police", "agency", ["traffic.*"]);
  const outcomes = await report(test, police, [
    conductEvent({ subject: "amy" }),
    conductEvent({ subject: "ben" }),
    conductEvent({ subject: "ben", occurredAt: "2026-05-31T08:30:00Z" }),
  ]);
  expect(outcomes.every((outcome) => outcome.outcome === "accepted")).toBe(true);
});
afterAll(() => test.close());

const whatIf = (body: unknown, key = test.adminKey) =>
  call(test, "POST", "/v1/whatif", { key, body });

async function ledgerRows() {
  const { store } = test;
  const subjects = await store.subjectsPage(0, 100);
  const ids = subjects.map((subject) => subject.internalId);
  return {
    clock: await store.ledgerClock(),
    rulebooks: await store.rulebookHistory(),
    scores: [...(await store.storedScores(ids)).entries()],
    entries: [...(await store.entriesOfSubjects(ids)).entries()],
    ratingChanges: await Promise.all(subjects.map((subject) => store.ratingChanges(subject.id))),
  };
}

describe("POST /v1/whatif", () => {
  it("answers who a lower threshold lifts, and writes nothing to the ledger", async () => {
    const before = await ledgerRows();
    const response = await whatIf({ text: lowered });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      rulebooks: { now: { version: 1 } },
      subjects: 3,
      events: 3,
      moves: { up: 1, down: 0, unchanged: 2 },
      policyMoves: { up: 1, down: 0 },
    });
    expect(body.matrix.B).toMatchObject({ A: 1, B: 1 });
    expect(body.mostAffected).toEqual([
      {
        subjectId: "amy",
        region: "north",
        scoreNow: 990,
        scoreDraft: 990,
        scoreChange: 0,
        ratingNow: "B",
        ratingDraft: "A",
      },
    ]);
    expect(await ledgerRows()).toEqual(before);
    const [line] = await test.store.auditLog(1);
    expect(line).toMatchObject({ actor: "admin", action: "rulebook.whatif" });
  });

  it("answers the moves a rule's new points drive, at a given time, with the top asked for", async () => {
    const response = await whatIf({ text: harsher, at: "2026-06-02T00:00:00Z", top: 1 });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.at).toBe("2026-06-02T00:00:00.000Z");
    expect(body.moves).toEqual({ up: 0, down: 1, unchanged: 2 });
    expect(body.matrix.B.C).toBe(1);
    expect(body.rules.find((rule: { type: string }) => rule.type === "traffic.red_light")).toEqual(
      expect.objectContaining({
        pointsNow: -10,
        pointsDraft: -100,
        pointsChange: -270,
        movedDown: 1,
      }),
    );
    expect(body.mostAffected).toEqual([
      expect.objectContaining({ subjectId: "ben", scoreDraft: 800, ratingDraft: "C" }),
    ]);
    expect(body.regions.map((region: { region: string }) => region.region)).toEqual([
      "north",
      "south",
    ]);
  });

  it.each([
    ["a forbidden category", forbidden, /forbidden special category 'political_opinion'/],
    ["a YAML alias bomb", aliasBomb, /alias/i],
    ["a text that is not a rulebook", "just: words\n", /unknown field/],
  ])("refuses %s like a publication, as problem+json", async (_, text, message) => {
    const before = await ledgerRows();
    const response = await whatIf({ text });
    const problem = problemOf(response);
    expect(problem).toMatchObject({ status: 422, code: "unprocessable" });
    const problems = problem.problems as { message: string }[];
    expect(problems.some((located) => message.test(located.message))).toBe(true);
    expect(await ledgerRows()).toEqual(before);
  });

  it("refuses a malformed body before compiling anything", async () => {
    for (const body of [
      {},
      { text: "" },
      { text: "x".repeat(rulebookBytesMax + 1) },
      { text: lowered, publish: true },
      { text: lowered, top: 1_001 },
      { text: lowered, at: "yesterday" },
    ]) {
      const response = await whatIf(body);
      expect(problemOf(response), JSON.stringify(body).slice(0, 80)).toMatchObject({
        status: 400,
        code: "validation_failed",
      });
    }
  });

  it("runs one replay at a time", async () => {
    const [first, second] = await Promise.all([
      whatIf({ text: lowered }),
      whatIf({ text: lowered }),
    ]);
    expect(first.statusCode).toBe(200);
    expect(problemOf(second)).toMatchObject({ status: 429, code: "rate_limited" });
    expect((await whatIf({ text: lowered })).statusCode).toBe(200);
  });

  it("is for admins only", async () => {
    expect(
      problemOf(await call(test, "POST", "/v1/whatif", { body: { text: lowered } })).status,
    ).toBe(401);
    expect(problemOf(await whatIf({ text: lowered }, police))).toMatchObject({
      status: 403,
      code: "forbidden",
    });
  });
});
