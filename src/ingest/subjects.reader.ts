import { z } from "zod";
import { subjectIdLengthMax } from "../core/event.js";
import { formatPath } from "../core/field-path.js";
import type { SubjectInput } from "../store/store.js";
import type { NdjsonLine } from "./ndjson.reader.js";

/** An enrollment line is two short fields; anything longer is not one. */
export const subjectLineBytesMax = 4_096;
export const regionLengthMax = 64;

export const subjectsFormats = ["csv", "ndjson"] as const;
export type SubjectsFormat = (typeof subjectsFormats)[number];

export const subjectRowSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(subjectIdLengthMax)
    .regex(/^[A-Za-z0-9._:@-]+$/, "may hold only letters, digits and . _ : @ -"),
  region: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(regionLengthMax)
    .regex(/^[^\p{Cc}]+$/u, "must not hold control characters"),
});

export type SubjectRow =
  | Readonly<{ lineNumber: number; subject: SubjectInput }>
  | Readonly<{ lineNumber: number; problem: string }>;

/** The format a file name announces, or undefined to decide by content. */
export function subjectsFormatOfName(fileName: string): SubjectsFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

/**
 * The subjects of an enrollment file, one row per non-blank line: NDJSON objects
 * `{"id", "region"}` or CSV with an `id,region` header. Without a format, a first line that
 * starts with `{` means NDJSON.
 */
export async function* readSubjects(
  lines: AsyncIterable<NdjsonLine>,
  format: SubjectsFormat | undefined,
): AsyncGenerator<SubjectRow> {
  let decided = format;
  let columns: Readonly<{ id: number; region: number; count: number }> | undefined;
  for await (const line of lines) {
    const { lineNumber } = line;
    if ("tooLarge" in line) {
      yield { lineNumber, problem: `line is ${line.bytes} bytes; at most ${subjectLineBytesMax}` };
      continue;
    }
    if ("invalidUtf8" in line) {
      yield { lineNumber, problem: "line is not valid UTF-8" };
      continue;
    }
    decided ??= line.text.trimStart().startsWith("{") ? "ndjson" : "csv";
    if (decided === "ndjson") {
      yield ndjsonRow(lineNumber, line.text);
      continue;
    }
    if (!columns) {
      const header = csvHeader(line.text);
      if (typeof header === "string") {
        yield { lineNumber, problem: header };
        return;
      }
      columns = header;
      continue;
    }
    yield csvRow(lineNumber, line.text, columns);
  }
}

function ndjsonRow(lineNumber: number, text: string): SubjectRow {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { lineNumber, problem: `malformed JSON: ${(error as Error).message}` };
  }
  return validated(lineNumber, input);
}

function csvHeader(text: string): { id: number; region: number; count: number } | string {
  const names = splitCsvLine(text)?.map((name) => name.trim().toLowerCase());
  const id = names?.indexOf("id") ?? -1;
  const region = names?.indexOf("region") ?? -1;
  if (!names || id < 0 || region < 0) {
    return `the first line must be a header naming the columns id and region, e.g. "id,region"`;
  }
  return { id, region, count: names.length };
}

function csvRow(
  lineNumber: number,
  text: string,
  columns: Readonly<{ id: number; region: number; count: number }>,
): SubjectRow {
  const fields = splitCsvLine(text);
  if (!fields) return { lineNumber, problem: "unbalanced quotes" };
  if (fields.length !== columns.count) {
    return {
      lineNumber,
      problem: `expected ${columns.count} fields as in the header, found ${fields.length}`,
    };
  }
  return validated(lineNumber, { id: fields[columns.id]?.trim(), region: fields[columns.region] });
}

function validated(lineNumber: number, input: unknown): SubjectRow {
  const parsed = subjectRowSchema.safeParse(input);
  if (parsed.success) return { lineNumber, subject: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue ? formatPath(issue.path) : "";
  const message = issue?.message ?? "invalid subject";
  return { lineNumber, problem: path ? `${path}: ${message}` : message };
}

/** RFC 4180 fields of one line (quotes with "" as an escaped quote); undefined if unbalanced. */
export function splitCsvLine(text: string): string[] | undefined {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const character = text[index] as string;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (character === ",") {
      fields.push(field);
      field = "";
    } else {
      field += character;
    }
    index++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
