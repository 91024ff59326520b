import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rulebookBytesMax } from "../core/rulebook.parse.js";
import { days } from "../core/time.js";
import { defaultRulebookText } from "../test-support/core.js";
import { runCivic, temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

const folder = temporaryFolder("whatif");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runCivic(args, { data });
const database = join(data, "civic.sqlite");
const databaseHash = () => createHash("sha256").update(readFileSync(database)).digest("hex");

function file(name: string, text: string | Buffer): string {
  const path = join(folder.path, name);
  writeFileSync(path, text);
  return path;
}

function draft(name: string, replacements: ReadonlyArray<readonly [string, string]>): string {
  let text = defaultRulebookText;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`no '${from}' in the default rulebook`);
    text = text.replace(from, to);
  }
  return file(name, text);
}

const redLight =
  "    points: -10\n    expiresAfterDays: 365\n    legalBasis: Road Traffic Regulations, signal";

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = "abcdefghi";
  for (let index = 1; index < names.length; index++) {
    const previous = names[index - 1];
    lines.push(`${names[index]}: &${names[index]} [${Array(9).fill(`*${previous}`).join(",")}]`);
  }
  return `${lines.join("\n")}\ntitle: *i\n`;
}

const forbiddenRule = `
  - type: civic.party_newspaper
    category: political_opinion
    points: 5
    expiresAfterDays: 365
    legalBasis: Party regulation
    description: Read the party newspaper.
`;

let lowered: string;
let harsher: string;

/**
 * amy (north): a red light, 990, B. ben (north): a red light and volunteering, 1000, A.
 * cho (south): two red lights and a blood donation, 1010, A. dan (south): nothing, 1000, A.
 */
beforeAll(async () => {
  expect((await civic("init")).status).toBe(0);
  expect(
    (await civic("source", "add", "registry", "--kind", "agency", "--types", "*")).status,
  ).toBe(0);
  const subjects = file("subjects.csv", "id,region\namy,north\nben,north\ncho,south\ndan,south\n");
  expect((await civic("enroll", subjects)).status).toBe(0);
  const day = (count: number) => new Date(Date.now() - days(30) + days(count)).toISOString();
  const reports = [
    ["amy", "traffic.red_light", 1],
    ["ben", "traffic.red_light", 2],
    ["ben", "civic.volunteering", 3],
    ["cho", "traffic.red_light", 4],
    ["cho", "traffic.red_light", 5],
    ["cho", "civic.blood_donation", 6],
  ] as const;
  const events = file(
    "events.ndjson",
    reports
      .map(([subject, type, when], index) =>
        JSON.stringify({
          id: `e-${index}`,
          subject,
          type,
          occurredAt: day(when),
          evidence: { description: "report", reference: `ref-${index}` },
        }),
      )
      .join("\n"),
  );
  expect((await civic("ingest", events, "--source", "registry", "--strict")).status).toBe(0);
  lowered = draft("lowered.yaml", [
    ["title: Civic Credit default rulebook", "title: Lower thresholds"],
    ["  A: 1000\n", "  A: 980\n"],
  ]);
  harsher = draft("harsher.yaml", [
    ["title: Civic Credit default rulebook", "title: Harsher red lights"],
    [redLight, redLight.replace("-10", "-50")],
  ]);
});
afterAll(() => folder.remove());

describe("civic whatif", () => {
  it("reports who a lower threshold lifts, as JSON", async () => {
    const run = await civic("whatif", "--rulebook", lowered, "--json");
    expect(run.status, run.stderr).toBe(exitCodes.ok);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      rulebooks: { now: { version: 1 }, draft: { title: "Lower thresholds" } },
      subjects: 4,
      events: 6,
      moves: { up: 1, down: 0, unchanged: 3 },
      policyMoves: { up: 1, down: 0 },
    });
    expect(report.matrix.B.A).toBe(1);
    expect(report.matrix.A.A).toBe(3);
    expect(report.mostAffected).toEqual([
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
  });

  it("reports the moves a rule's new points drive, by region and by rule", async () => {
    const run = await civic("whatif", "--rulebook", harsher, "--json", "--top", "2");
    expect(run.status, run.stderr).toBe(exitCodes.ok);
    const report = JSON.parse(run.stdout);
    expect(report.moves).toEqual({ up: 0, down: 2, unchanged: 2 });
    expect(report.matrix.A.B).toBe(2);
    expect(report.regions).toEqual([
      expect.objectContaining({ region: "north", subjects: 2, up: 0, down: 1 }),
      expect.objectContaining({ region: "south", subjects: 2, up: 0, down: 1 }),
    ]);
    expect(
      report.rules.find((rule: { type: string }) => rule.type === "traffic.red_light"),
    ).toEqual({
      type: "traffic.red_light",
      pointsNow: -10,
      pointsDraft: -50,
      events: 4,
      pointsChange: -160,
      subjectsChanged: 3,
      movedUp: 0,
      movedDown: 2,
    });
    expect(report.mostAffected.map((subject: { subjectId: string }) => subject.subjectId)).toEqual([
      "cho",
      "ben",
    ]);
  });

  it("prints the same report as tables", async () => {
    const run = await civic("whatif", "--rulebook", harsher);
    expect(run.status, run.stderr).toBe(exitCodes.ok);
    expect(run.stdout).toContain("draft 'Harsher red lights' against rulebook version 1");
    expect(run.stdout).toContain("ratings: 0 up, 2 down, 2 unchanged");
    expect(run.stdout).toMatch(/traffic\.red_light\s+-10\s+-50\s+4\s+-160\s+3\s+0\s+2/);
    expect(run.stdout).toMatch(/cho\s+south\s+1010\s+930\s+-80\s+A\s+B/);
  });

  it("leaves the database file byte for byte as it was", async () => {
    const entries = () => civic("entries", "cho", "--json", "--at", "2030-01-01");
    const entriesBefore = (await entries()).stdout;
    const before = databaseHash();
    for (const rulebook of [lowered, harsher]) {
      expect((await civic("whatif", "--rulebook", rulebook, "--at", "2030-01-01")).status).toBe(0);
    }
    expect(databaseHash()).toBe(before);
    expect((await entries()).stdout).toBe(entriesBefore);
  });

  const hostile = {
    "a forbidden category": {
      text: defaultRulebookText.replace("\nbenefits:", `${forbiddenRule}\nbenefits:`),
      message: /forbidden special category 'political_opinion'/,
    },
    "a YAML alias bomb": { text: billionLaughs(), message: /alias/i },
    "bytes that are not YAML": {
      text: Buffer.from([0xff, 0xfe, 0x00, 0x5b, 0x7b, 0x3a, 0x0a, 0x09]),
      message: /problem/,
    },
    "a size over the limit": {
      text: `# ${"x".repeat(rulebookBytesMax)}\n`,
      message: new RegExp(`at most ${rulebookBytesMax}`),
    },
  };

  it.each(Object.entries(hostile))(
    "refuses a draft with %s, clearly, and reports nothing",
    async (name, { text, message }) => {
      const path = file(`${name.replaceAll(" ", "-")}.yaml`, text);
      const run = await civic("whatif", "--rulebook", path);
      expect(run.status).toBe(exitCodes.failed);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain("the draft rulebook is refused");
      expect(run.stdout).toBe("");
      const json = await civic("whatif", "--rulebook", path, "--json");
      expect(json.status).toBe(exitCodes.failed);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: expect.any(Array) });
    },
  );

  it("answers a missing or unreadable file with a usage error", async () => {
    const missing = await civic("whatif", "--rulebook", join(folder.path, "missing.yaml"));
    expect(missing.status).toBe(exitCodes.usage);
    expect(missing.stderr).toMatch(/cannot read .*missing\.yaml: no such file/);
    const directory = join(folder.path, "a-folder.yaml");
    mkdirSync(directory);
    const folderRun = await civic("whatif", "--rulebook", directory);
    expect(folderRun.status).toBe(exitCodes.usage);
    expect(folderRun.stderr).toMatch(/is not a regular file/);
    expect((await civic("whatif")).stderr).toMatch(/required option '--rulebook <file>'/);
  });

  it("needs an initialised data folder", async () => {
    const run = await runCivic(["whatif", "--rulebook", lowered], {
      data: join(folder.path, "empty"),
    });
    expect(run.status).toBe(exitCodes.notInitialised);
  });
});
