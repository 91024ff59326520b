import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot, runCivic, temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

const folder = temporaryFolder("rulebook");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runCivic(args, { data });
const defaultText = readFileSync(join(repositoryRoot, "rulebooks/default.yaml"), "utf8");

function file(name: string, text: string): string {
  const path = join(folder.path, name);
  writeFileSync(path, text);
  return path;
}

const forbiddenRule = `
  - type: civic.party_newspaper
    category: political_opinion
    points: 5
    expiresAfterDays: 365
    legalBasis: Party regulation
    description: Read the party newspaper.
`;

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = "abcdefghi";
  for (let index = 1; index < names.length; index++) {
    const previous = names[index - 1];
    lines.push(`${names[index]}: &${names[index]} [${Array(9).fill(`*${previous}`).join(",")}]`);
  }
  return `${lines.join("\n")}\ntitle: *i\n`;
}

const hostile = {
  "alias bomb": { text: billionLaughs(), message: /alias/i },
  "forbidden category": {
    text: defaultText.replace("\nbenefits:", `${forbiddenRule}\nbenefits:`),
    message: /forbidden special category/,
  },
  "missing legal basis": {
    text: defaultText.replace("    legalBasis: Public Sanitation Ordinance\n", ""),
    message: /rules\[3\]\.legalBasis/,
  },
};

beforeAll(async () => {
  expect((await civic("init")).status).toBe(0);
});
afterAll(() => folder.remove());

describe("civic rulebook check and publish", () => {
  it("accepts the default rulebook", async () => {
    const run = await civic("rulebook", "check", join(repositoryRoot, "rulebooks/default.yaml"));
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toContain("ok: 'Civic Credit default rulebook', 15 rules, 4 benefits");
  });

  it.concurrent.each(Object.entries(hostile))(
    "refuses a rulebook with %s, and publishing it changes nothing",
    async (name, { text, message }) => {
      const path = file(`${name.replaceAll(" ", "-")}.yaml`, text);
      const checked = await civic("rulebook", "check", path);
      expect(checked.status).toBe(exitCodes.failed);
      expect(checked.stdout).toMatch(message);
      // file:line:col: path: message, or file: message when the problem has no place.
      expect(checked.stdout.split("\n")[0]).toMatch(
        new RegExp(`^${path.replaceAll(".", "\\.")}(:\\d+:\\d+)?: `),
      );
      const published = await civic("rulebook", "publish", path, "--by", "mallory");
      expect(published.status).toBe(exitCodes.failed);
      expect(published.stderr).toMatch(message);
      expect(published.stderr).toContain("the current version is unchanged");
      const history = JSON.parse((await civic("rulebook", "history", "--json")).stdout);
      expect(history.map((version: { version: number }) => version.version)).toEqual([1]);
    },
  );

  it("points at the line and column of a problem", async () => {
    const { text } = hostile["forbidden category"];
    const path = file("located.yaml", text);
    const checked = await civic("rulebook", "check", path);
    const line = text.split("\n").indexOf("    category: political_opinion") + 1;
    expect(checked.stdout).toContain(
      `${path}:${line}:15: rules[15].category: category 'political_opinion'`,
    );
  });

  it("publishes a good rulebook as the next version, recording who published it", async () => {
    const path = file(
      "next.yaml",
      defaultText.replace("title: Civic Credit default rulebook", "title: Next"),
    );
    const published = await civic("rulebook", "publish", path, "--by", "policy board");
    expect(published.status).toBe(exitCodes.ok);
    expect(published.stdout).toContain("rulebook version 2");
    const shown = JSON.parse((await civic("rulebook", "show", "--json")).stdout);
    expect(shown).toMatchObject({ version: 2, title: "Next", publishedBy: "policy board" });
  });

  it("answers a missing file with a usage error", async () => {
    const run = await civic("rulebook", "check", join(folder.path, "absent.yaml"));
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/^civic: cannot read .*absent\.yaml: no such file\n$/);
  });
});
