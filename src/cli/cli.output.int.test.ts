import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rating } from "../core/rating.js";
import { days } from "../core/time.js";
import { benefitProgress } from "../ledger/score.view.js";
import { runMain } from "../test-support/cli.js";
import { ndjson, repositoryRoot, temporaryFolder } from "../test-support/ledger.js";
import { operatorName } from "./audit.js";
import { exitCodes } from "./exit-codes.js";

// What the commands say, in this process against a real SQLite data folder.
const folder = temporaryFolder("output");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runMain([...args, "--data", data]);
const file = (name: string, text: string) => {
  const path = join(folder.path, name);
  writeFileSync(path, text);
  return path;
};

type Refused = { line: number; outcome: string; message: string };

beforeAll(async () => {
  expect((await civic("init")).status).toBe(exitCodes.ok);
  expect(
    (await civic("source", "add", "police", "--kind", "agency", "--types", "traffic.*")).status,
  ).toBe(exitCodes.ok);
});
afterAll(() => folder.remove());

describe("civic enroll", () => {
  it.each([
    ["subjects.csv", []],
    ["subjects.csv", ["--json"]],
    ["subjects.txt", []],
  ])(
    "refuses %s %j without its id,region header whole, with exit 2, enrolling nothing",
    async (name, flags) => {
      const path = file(name, "c-101,north\nc-102,south\n");
      const run = await civic("enroll", path, ...flags);
      expect(run.status).toBe(exitCodes.usage);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `civic: ${path}:1: the first line must be a CSV header naming the columns id and region, e.g. "id,region" (found "c-101,north"); nothing was enrolled\n`,
      );
      for (const subject of ["c-101", "c-102"]) {
        expect((await civic("score", subject)).status).toBe(exitCodes.notFound);
      }
    },
  );

  it("reports refused rows as civic ingest reports refused lines", async () => {
    const lines = ['{"id":"c-201","region":"north"}', '{"id":"c-202", "region":', '{"id":"c 203"}'];
    const subjects = file("mixed.ndjson", `${lines.join("\n")}\n`);
    const events = file("malformed.ndjson", `${lines[1]}\n`);

    const json = await civic("enroll", subjects, "--json");
    expect(json.status).toBe(exitCodes.ok);
    const output = ndjson(json.stdout) as Record<string, unknown>[];
    expect(output.at(-1)).toEqual({ summary: { enrolled: 1, already_enrolled: 0, invalid: 2 } });
    const refused = output.slice(0, -1) as Refused[];
    expect(refused).toEqual([
      { line: 2, outcome: "malformed_json", message: expect.any(String) },
      {
        line: 3,
        outcome: "invalid_field",
        message: "id: may hold only letters, digits and . _ : @ -",
      },
    ]);
    // The same broken line, refused by ingest: the same outcome and the same words.
    const ingested = ndjson(
      (await civic("ingest", events, "--source", "police", "--json")).stdout,
    ) as Refused[];
    expect(ingested[0]).toEqual({ ...refused[0], line: 1 });

    const human = await civic("enroll", subjects, "--strict");
    expect(human.status).toBe(exitCodes.linesRefused);
    expect(human.stderr.split("\n")).toEqual([
      `${subjects}:2: malformed_json: ${refused[0]?.message}`,
      `${subjects}:3: invalid_field: id: may hold only letters, digits and . _ : @ -`,
      "",
    ]);
    const ingestedHuman = await civic("ingest", events, "--source", "police");
    expect(ingestedHuman.stderr).toContain(`${events}:1: malformed_json: ${refused[0]?.message}\n`);
  });
});

describe("civic score", () => {
  it("words benefit progress as the citizen API does, held days capped at the requirement", async () => {
    const subjects = file("benefits.csv", "id,region\nc-301,north\n");
    expect((await civic("enroll", subjects)).status).toBe(exitCodes.ok);
    // Enrolled now at 1000 (A) and nothing since: 200 days on, A has been held for 200 days.
    const at = new Date(Date.now() + days(200)).toISOString();
    const run = await civic("score", "c-301", "--at", at);
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toMatch(
      /^Air travel discount +A for 90 days +A or better held 90 of 90 days +yes$/m,
    );
    expect(run.stdout).toMatch(/^Loan discount +AAA for 180 days +AAA held 0 of 180 days +no$/m);
    expect(run.stdout).toMatch(/^Deposit-free rental +A now +A or better held now +yes$/m);
    expect(run.stdout).not.toMatch(/held 20\d of/);

    const view = JSON.parse((await civic("score", "c-301", "--at", at, "--json")).stdout) as {
      benefits: {
        name: string;
        ratingMin: Rating;
        heldDays: number;
        requiredDays: number;
        eligible: boolean;
      }[];
    };
    for (const benefit of view.benefits) {
      expect(run.stdout).toMatch(
        new RegExp(`^${benefit.name} .* ${benefitProgress(benefit)} `, "m"),
      );
    }
  });
});

describe("civic rulebook", () => {
  it("records version 1 as published by civic init and a later one by the operator's account", async () => {
    const own = join(folder.path, "rulebook-data");
    const run = (...args: string[]) => runMain([...args, "--data", own]);
    expect((await run("init")).status).toBe(exitCodes.ok);
    const next = file(
      "next.yaml",
      readFileSync(join(repositoryRoot, "rulebooks/default.yaml"), "utf8").replace(
        "title: Civic Credit default rulebook",
        "title: Next",
      ),
    );
    expect((await run("rulebook", "publish", next)).status).toBe(exitCodes.ok);
    const history = JSON.parse((await run("rulebook", "history", "--json")).stdout);
    expect(history).toEqual([
      expect.objectContaining({ version: 1, publishedBy: "civic init" }),
      expect.objectContaining({ version: 2, publishedBy: operatorName() }),
    ]);

    const help = (await run("rulebook", "publish", "--help")).stdout.replace(/\s+/g, " ");
    expect(help).toContain(
      "--by <name> who publishes, recorded with the version; default: your operating-system account",
    );
    expect(help).toContain(
      'records under its own name ("civic init", or "civic serve" or "civic simulate" on a new ledger)',
    );
  });
});
