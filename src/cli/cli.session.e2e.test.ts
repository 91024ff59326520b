import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outcomeKinds } from "../core/outcome.js";
import { eventLine, ndjson, runCivic, temporaryFolder } from "../test-support/ledger.js";

// The README session, step by step, each step in human and JSON form.
const folder = temporaryFolder("session");
const data = join(folder.path, "data");
const file = (name: string, text: string) => {
  const path = join(folder.path, name);
  writeFileSync(path, text);
  return path;
};
const civic = (...args: string[]) => runCivic(args, { data });

afterAll(() => folder.remove());

describe("a civic session", () => {
  beforeAll(async () => {
    const first = await civic("init");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
  });

  it("init is idempotent and reports the current rulebook", async () => {
    const again = await civic("init", "--json");
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rulebookVersion: 1, published: false });
  });

  it("adds and lists sources, enrolls, ingests, scores, lists entries and verifies", async () => {
    const added = await civic(
      "source",
      "add",
      "traffic-police",
      "--kind",
      "agency",
      "--types",
      "traffic.*,public.*",
    );
    expect(added.status).toBe(0);
    expect(added.stdout).toContain("traffic-police");
    expect(
      (
        await civic(
          "source",
          "add",
          "city-bank",
          "--kind",
          "partner",
          "--types",
          "finance.*",
          "--json",
        )
      ).status,
    ).toBe(0);
    const sources = await civic("source", "list", "--json");
    expect(JSON.parse(sources.stdout)).toEqual([
      expect.objectContaining({
        name: "traffic-police",
        kind: "agency",
        allowedTypes: ["traffic.*", "public.*"],
      }),
      expect.objectContaining({ name: "city-bank", kind: "partner" }),
    ]);
    expect((await civic("source", "list")).stdout).toMatch(
      /traffic-police\s+agency\s+traffic\.\*, public\.\*/,
    );

    const subjects = file("subjects.csv", "id,region\nc-001,north\nc-002,south\n");
    const enrolled = await civic("enroll", subjects, "--json");
    expect(enrolled.status).toBe(0);
    expect(ndjson(enrolled.stdout)).toEqual([
      { summary: { enrolled: 2, already_enrolled: 0, invalid: 0 } },
    ]);

    const events = file(
      "events.ndjson",
      `${[
        eventLine({
          id: "tp-1",
          subject: "c-001",
          type: "traffic.red_light",
          occurredAt: "2026-01-10T08:30:00Z",
        }),
        eventLine({
          id: "tp-2",
          subject: "c-001",
          type: "public.littering",
          occurredAt: "2026-02-01T12:00:00Z",
        }),
        eventLine({
          id: "tp-3",
          subject: "c-002",
          type: "traffic.jaywalking",
          occurredAt: "2026-02-03T12:00:00Z",
        }),
      ].join("\n")}\n`,
    );
    const ingested = await civic("ingest", events, "--source", "traffic-police", "--json");
    expect(ingested.status).toBe(0);
    expect(ingested.stderr).toBe("");
    const output = ndjson(ingested.stdout);
    expect(output).toEqual([
      { committed: { lastLine: 3, accepted: 3, acceptedTotal: 3 } },
      {
        summary: Object.fromEntries(
          outcomeKinds.map((kind) => [kind, kind === "accepted" ? 3 : 0]),
        ),
      },
    ]);
    const human = await civic("ingest", events, "--source", "traffic-police");
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/3 events, 0 accepted, 3 duplicate, 0 refused/);
    for (const kind of outcomeKinds)
      expect(human.stdout).toMatch(new RegExp(`^${kind}\\s+\\d+$`, "m"));

    const at = "2026-03-01T00:00:00Z";
    const score = await civic("score", "c-001", "--at", at, "--json");
    expect(score.status).toBe(0);
    const view = JSON.parse(score.stdout);
    expect(view).toMatchObject({
      score: 980,
      rating: "B",
      at: "2026-03-01T00:00:00.000Z",
      rulebookVersion: 1,
    });
    expect(view.benefits).toHaveLength(4);
    const humanScore = await civic("score", "c-002", "--at", at);
    expect(humanScore.stdout).toMatch(/^score\s+995/m);
    expect(humanScore.stdout).toMatch(/^rating\s+B$/m);
    expect(humanScore.stdout).toContain("Air travel discount");

    const entries = await civic("entries", "c-001", "--at", at, "--json");
    expect(entries.status).toBe(0);
    expect(JSON.parse(entries.stdout).entries).toEqual([
      expect.objectContaining({
        eventId: "tp-1",
        type: "traffic.red_light",
        points: -10,
        status: "effective",
        source: "traffic-police",
        rulebookVersion: 1,
        expiresAt: "2027-01-10T08:30:00.000Z",
      }),
      expect.objectContaining({
        eventId: "tp-2",
        points: -10,
        evidence: { description: "Signal red for 3 s", reference: "TP-1" },
      }),
    ]);
    const later = await civic("entries", "c-001", "--at", "2027-01-20");
    expect(later.stdout).toMatch(/traffic\.red_light\s+-10\s+expired/);
    expect(later.stdout).toMatch(/public\.littering\s+-10\s+effective/);

    const verified = await civic("verify");
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/verified 2 subjects and 3 entries .*every score matches/);
    expect(JSON.parse((await civic("verify", "--json")).stdout)).toMatchObject({
      ok: true,
      differenceCount: 0,
    });
  });

  it("shows the rulebook and its history", async () => {
    const shown = await civic("rulebook", "show");
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/traffic\.red_light\s+traffic\s+-10\s+365 d/);
    const json = JSON.parse((await civic("rulebook", "show", "--version", "1", "--json")).stdout);
    expect(json).toMatchObject({ version: 1, baseScore: 1000, publishedBy: "civic init" });
    expect(json.rules).toHaveLength(15);
    const history = JSON.parse((await civic("rulebook", "history", "--json")).stdout);
    expect(history).toEqual([
      expect.objectContaining({ version: 1, title: "Civic Credit default rulebook" }),
    ]);
  });

  it("takes the data folder from CIVIC_DATA or before the command", async () => {
    const fromEnv = await runCivic(["source", "list", "--json"], { env: { CIVIC_DATA: data } });
    expect(JSON.parse(fromEnv.stdout)).toHaveLength(2);
    const before = await runCivic(["--data", data, "source", "list", "--json"]);
    expect(JSON.parse(before.stdout)).toHaveLength(2);
  });
});
