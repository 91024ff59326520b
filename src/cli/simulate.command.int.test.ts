import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../test-support/cli.js";
import { temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

/** `civic simulate` in this process: flags, a small audited run, its JSON and its chart. */
const folder = temporaryFolder("simulate");
afterAll(() => folder.remove());

describe("civic simulate, bad flags", () => {
  it.each([
    [["--subjects", "0"], "--subjects"],
    [["--subjects", "many"], "--subjects"],
    [["--days", "0"], "--days"],
    [["--days", "3651"], "--days"],
    [["--regions", "0"], "--regions"],
    [["--regions", "101"], "--regions"],
    [["--seed", "-1"], "--seed"],
    [["--seed", "4294967296"], "--seed"],
    [["--false-match-rate", "1.5"], "--false-match-rate"],
    [["--false-match-rate", "five percent"], "--false-match-rate"],
    [["--end", "tomorrow"], "--end"],
    [["--end", "2999-01-01"], "--end"],
    [["--url", "ftp://example.org"], "--url"],
    [["--url", "http://127.0.0.1:1"], "--key"],
    [["--key", "cck_x"], "--url"],
    [["--url", "http://127.0.0.1:1", "--key", "k", "--data", "d"], "--data"],
    [["--url", "http://127.0.0.1:1", "--key", "k", "--end", "2026-01-01"], "--end"],
    [["--chart", "/no/such/folder/chart.svg"], "--chart"],
    [["--frobnicate"], "--frobnicate"],
  ])("civic simulate %j exits 2 with one clear line", async (args, mentioned) => {
    const run = await runMain(["simulate", ...args], {});
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^civic: /);
    expect(run.stderr).toContain(mentioned);
  });

  it("refuses a data folder that already holds a ledger", async () => {
    const data = join(folder.path, "taken");
    expect((await runMain(["init", "--data", data])).status).toBe(exitCodes.ok);
    const run = await runMain(["simulate", "--subjects", "10", "--days", "2", "--data", data]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/already holds a ledger/);
  });

  it("tells an unreachable server apart from a usage mistake", async () => {
    const args = ["--subjects", "10", "--days", "2", "--url", "http://127.0.0.1:9", "--key", "k"];
    const run = await runMain(["simulate", ...args]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/^civic: cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

describe("civic simulate", () => {
  it("runs a small audited city into --data, with JSON and an SVG chart", async () => {
    const data = join(folder.path, "city");
    const chart = join(folder.path, "ratings.svg");
    const args = ["--subjects", "300", "--days", "20", "--seed", "4", "--faults", "--regions", "3"];
    const run = await runMain(["simulate", ...args, "--json", "--chart", chart, "--data", data]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(exitCodes.ok);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      seed: 4,
      subjects: 300,
      days: 20,
      faults: true,
      mode: "in-process",
    });
    expect(report.audit).toMatchObject({ ok: true, subjectsChecked: 300, differenceCount: 0 });
    expect(report.regions).toEqual(["harbour", "old-town", "riverside"]);
    expect(report.ratingsOverTime[0].byRegion.harbour.A).toBeGreaterThan(0);
    const svg = readFileSync(chart, "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("riverside");
    expect(svg).not.toMatch(/<script/);
    // The ledger stays in --data and verifies with the core.
    expect(existsSync(join(data, "civic.sqlite"))).toBe(true);
    const verified = await runMain(["verify", "--json", "--data", data]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, subjects: 300 });
  });

  it("prints the report as tables, and by default leaves no ledger behind", async () => {
    const run = await runMain(["simulate", "--subjects", "100", "--days", "5", "--seed", "1"]);
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toMatch(/^simulated city: 100 subjects in 12 regions, 5 days/);
    expect(run.stdout).toContain("ratings at the end, by region");
    expect(run.stdout).toContain("entries by type at the end");
    expect(run.stdout).toContain("camera infractions attributed to the wrong person");
    expect(run.stdout).toContain("audit: every score matches the independent model");
  });
});
