import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readNdjsonLines } from "./ndjson.reader.js";
import {
  readSubjects,
  type SubjectRow,
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
      ].join("\n"),
    );
    expect(
      found.map((row) =>
        "problem" in row ? [row.lineNumber, "problem"] : [row.lineNumber, row.subject.id],
      ),
    ).toEqual([
      [1, "c-1"],
      [2, "problem"],
      [3, "problem"],
      [4, "problem"],
      [5, "problem"],
      [6, "problem"],
      [7, "problem"],
      [8, "c-8"],
    ]);
    expect(found[1]).toEqual({
      lineNumber: 2,
      problem: "id: may hold only letters, digits and . _ : @ -",
    });
  });

  it("refuses a CSV file without the header and rows with the wrong field count", async () => {
    expect(await rows("c-1,north\n", "csv")).toEqual([
      { lineNumber: 1, problem: expect.stringContaining("header") },
    ]);
    expect(await rows('id,region\nc-1\nc-2,north,extra\n"c-3,north\n', "csv")).toEqual([
      { lineNumber: 2, problem: "expected 2 fields as in the header, found 1" },
      { lineNumber: 3, problem: "expected 2 fields as in the header, found 3" },
      { lineNumber: 4, problem: "unbalanced quotes" },
    ]);
  });
});

describe("splitCsvLine", () => {
  it("splits RFC 4180 fields", () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(["a", "b,c", 'd "e"', ""]);
    expect(splitCsvLine('"open')).toBeUndefined();
  });
});
