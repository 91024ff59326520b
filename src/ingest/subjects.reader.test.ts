import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readNdjsonLines } from "./ndjson.reader.js";
import {
  readSubjects,
  type SubjectRow,
  SubjectsHeaderError,
  splitCsvLine,
  subjectsFormatOfName,
} from "./subjects.reader.js";

async function rows(text: string, format?: "csv" | "ndjson"): Promise<SubjectRow[]> {
  const collected: SubjectRow[] = [];
  const lines = readNdjsonLines(Readable.from([Buffer.from(text)]), { lineBytesMax: 200 });
  for await (const row of readSubjects(lines, format)) collected.push(row);
  return collected;
}

describe("readSubjects", () => {
  it("reads CSV with a header, in any column order, with quotes and CRLF", async () => {
    expect(await rows('region,id\r\n"North, upper",c-1\r\nsouth, c-2 \r\n', "csv")).toEqual([
      { lineNumber: 2, subject: { id: "c-1", region: "North, upper" } },
      { lineNumber: 3, subject: { id: "c-2", region: "south" } },
    ]);
  });

  it("reads NDJSON", async () => {
    expect(await rows('{"id":"c-1","region":"north"}\n\n{"region":"south","id":"c-2"}')).toEqual([
      { lineNumber: 1, subject: { id: "c-1", region: "north" } },
      { lineNumber: 3, subject: { id: "c-2", region: "south" } },
    ]);
  });

  it("decides the format by content when the name does not tell", async () => {
    expect(subjectsFormatOfName("people.CSV")).toBe("csv");
    expect(subjectsFormatOfName("people.jsonl")).toBe("ndjson");
    expect(subjectsFormatOfName("people.txt")).toBeUndefined();
    expect(await rows("id,region\nc-1,north\n")).toEqual([
      { lineNumber: 2, subject: { id: "c-1", region: "north" } },
    ]);
  });

  it("reports each bad row by line number and keeps the good ones", async () => {
    const found = await rows(
      [
        '{"id":"c-1","region":"north"}',
        '{"id":"bad id","region":"north"}',
        '{"id":"c-3"}',
        '{"id":"c-4","region":"north","extra":1}',
        "{oops",
        `{"id":"${"x".repeat(65)}","region":"north"}`,
        `{"id":"c-7","region":"${"r".repeat(150)}"}`,
        '{"id":"c-8","region":"south"}',
        `{"id":"c-9","region":"${"r".repeat(250)}"}`,
      ].join("\n"),
    );
    expect(
      found.map((row) =>
        "refusal" in row ? [row.lineNumber, row.refusal] : [row.lineNumber, row.subject.id],
      ),
    ).toEqual([
      [1, "c-1"],
      [2, "invalid_field"],
      [3, "invalid_field"],
      [4, "invalid_field"],
      [5, "malformed_json"],
      [6, "invalid_field"],
      [7, "invalid_field"],
      [8, "c-8"],
      [9, "too_large"],
    ]);
    expect(found[1]).toEqual({
      lineNumber: 2,
      refusal: "invalid_field",
      message: "id: may hold only letters, digits and . _ : @ -",
    });
    // The parser's own words, as `civic ingest` gives them, without a second label.
    expect(found[4]).toMatchObject({ message: expect.not.stringMatching(/malformed/i) });
  });

  it("refuses rows with the wrong field count or unbalanced quotes as malformed_csv", async () => {
    expect(await rows('id,region\nc-1\nc-2,north,extra\n"c-3,north\n', "csv")).toEqual([
      {
        lineNumber: 2,
        refusal: "malformed_csv",
        message: "expected 2 fields as in the header, found 1",
      },
      {
        lineNumber: 3,
        refusal: "malformed_csv",
        message: "expected 2 fields as in the header, found 3",
      },
      { lineNumber: 4, refusal: "malformed_csv", message: "unbalanced quotes" },
    ]);
  });

  it.each([
    ["a .csv file", "c-1,north\nc-2,south\n", "csv" as const],
    ["a file whose content looks like CSV", "c-1,north\nc-2,south\n", undefined],
    ["a header without the region column", "id,area\nc-1,north\n", "csv" as const],
    ["a first line too long to read", `${"x".repeat(250)}\nid,region\n`, "csv" as const],
  ])("refuses %s without the id,region header whole, before any row", async (_, text, format) => {
    const refused = rows(text, format);
    await expect(refused).rejects.toThrow(SubjectsHeaderError);
    await expect(refused).rejects.toMatchObject({
      lineNumber: 1,
      message: expect.stringMatching(/header naming the columns id and region, e\.g\. "id,region"/),
    });
  });

  it("quotes what the first line held instead of a header, shortened", async () => {
    await expect(rows(`c-1,${"r".repeat(100)}\n`, "csv")).rejects.toThrow(
      `(found "c-1,${"r".repeat(56)}…")`,
    );
  });
});

describe("splitCsvLine", () => {
  it("splits RFC 4180 fields", () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(["a", "b,c", 'd "e"', ""]);
    expect(splitCsvLine('"open')).toBeUndefined();
  });
});
