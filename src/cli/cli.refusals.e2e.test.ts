import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventLine, ndjson, runCivic, temporaryFolder } from "../test-support/ledger.js";
import { exitCodes } from "./exit-codes.js";

// Bad input through the real command: each bad line answered clearly, nothing of it stored.
const folder = temporaryFolder("refusals");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runCivic(args, { data });

type Refused = { line: number; outcome: string; message: string };

async function storedEntries(): Promise<number> {
  const verified = await civic("verify", "--json");
  expect(verified.status).toBe(exitCodes.ok);
  return (JSON.parse(verified.stdout) as { entries: number }).entries;
}

beforeAll(async () => {
  expect((await civic("init")).status).toBe(0);
  expect(
    (await civic("source", "add", "police", "--kind", "agency", "--types", "traffic.*")).status,
  ).toBe(0);
  const subjects = join(folder.path, "subjects.ndjson");
  writeFileSync(subjects, '{"id":"c-001","region":"north"}\n{"id":"c-002","region":"north"}\n');
  expect((await civic("enroll", subjects)).status).toBe(0);
});
afterAll(() => folder.remove());

describe("civic ingest with bad lines", () => {
  it("refuses each bad line with its reason, stores every good one, and exits 3 with --strict", async () => {
    const lines = [
      eventLine({ id: "good-1" }),
      '{"id":"broken", "subject":',
      eventLine({ id: "missing", evidence: undefined }),
      eventLine({ id: "mistyped", confidence: "high" }),
      eventLine({ id: "unknown-type", type: "traffic.speeding" }),
      eventLine({ id: "unknown-subject", subject: "c-404" }),
      eventLine({ id: "not-authorised", type: "finance.payment_default" }),
      eventLine({ id: "future", occurredAt: "2999-01-01T00:00:00Z" }),
      eventLine({ id: "tracking", attributes: { gps_lat: 52.1 } }),
      eventLine({ id: "good-2", subject: "c-002" }),
    ];
    const file = join(folder.path, "mixed.ndjson");
    writeFileSync(file, lines.join("\n"));
    const run = await civic("ingest", file, "--source", "police", "--json", "--strict");
    expect(run.status).toBe(exitCodes.linesRefused);
    const output = ndjson(run.stdout) as Record<string, unknown>[];
    const refused = (output.filter((value) => "line" in value) as Refused[]).sort(
      (a, b) => a.line - b.line,
    );
    expect(refused.map(({ line, outcome }) => [line, outcome])).toEqual([
      [2, "malformed_json"],
      [3, "invalid_field"],
      [4, "invalid_field"],
      [5, "unknown_event_type"],
      [6, "unknown_subject"],
      [7, "source_not_authorised_for_type"],
      [8, "occurred_in_future"],
      [9, "invalid_field"],
    ]);
    expect(refused[1]?.message).toMatch(/^evidence/);
    expect(refused[2]?.message).toMatch(/^confidence/);
    expect(refused[7]?.message).toMatch(/^attributes\.gps_lat/);
    expect(output.at(-1)).toMatchObject({ summary: { accepted: 2 } });
    expect(await storedEntries()).toBe(2);

    const human = await civic("ingest", file, "--source", "police");
    expect(human.status).toBe(exitCodes.ok);
    expect(human.stderr).toContain(`${file}:6: unknown_subject: no enrolled subject 'c-404'`);
    expect(human.stdout).toMatch(/10 events, 0 accepted, 2 duplicate, 8 refused/);
  });

  it("refuses a 10 MB line as too_large and keeps the lines around it", async () => {
    const file = join(folder.path, "huge.ndjson");
    const descriptor = openSync(file, "w");
    writeSync(
      descriptor,
      `${eventLine({ id: "before-huge" })}\n{"id":"huge","evidence":{"description":"`,
    );
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let megabyte = 0; megabyte < 10; megabyte++) writeSync(descriptor, block);
    writeSync(descriptor, `"}}\n${eventLine({ id: "after-huge" })}\n`);
    closeSync(descriptor);
    const run = await civic("ingest", file, "--source", "police", "--json");
    expect(run.status).toBe(exitCodes.ok);
    const output = ndjson(run.stdout);
    expect(output[0]).toMatchObject({ line: 2, outcome: "too_large" });
    expect(output.at(-1)).toMatchObject({ summary: { accepted: 2, too_large: 1 } });
    expect(await storedEntries()).toBe(4);
  });

  it("reports bad enrollment rows by line and enrolls the rest", async () => {
    const file = join(folder.path, "people.csv");
    writeFileSync(file, "id,region\nc-010,north\nc 011,north\nc-012,\nc-001,south\n");
    const run = await civic("enroll", file, "--strict");
    expect(run.status).toBe(exitCodes.linesRefused);
    expect(run.stderr).toContain(`${file}:3: invalid_field: id: may hold only`);
    expect(run.stderr).toContain(`${file}:4: invalid_field: region:`);
    expect(run.stdout).toMatch(/^enrolled\s+1$/m);
    expect(run.stdout).toMatch(/^already_enrolled\s+1$/m);
    expect(run.stdout).toMatch(/^invalid\s+2$/m);
  });
});
