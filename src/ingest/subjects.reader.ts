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

/**
 * Why an enrollment line is refused: a closed list, with ingest's names for the failures the two
 * share (`civic ingest` answers a line that is not JSON as `malformed_json` too).
 */
export const subjectRefusalKinds = [
  "invalid_field",
  "malformed_json",
  "malformed_csv",
  "too_large",
] as const;
export type SubjectRefusalKind = (typeof subjectRefusalKinds)[number];

export type SubjectRow =
  | Readonly<{ lineNumber: number; subject: SubjectInput }>
  | Readonly<{ lineNumber: number; refusal: SubjectRefusalKind; message: string }>;

/** The columns a CSV enrollment file must name in its first line. */
export const subjectsCsvHeader = "id,region";
/** How much of a bad header line a message quotes. */
const headerQuotedCharactersMax = 60;

/**
 * A CSV file whose first line is not a header naming the id and region columns: none of its
 * lines can be read (without the header, a subject's id could be taken for its region), so the
 * file is refused whole, before anything is enrolled.
 */
export class SubjectsHeaderError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(message);
    this.name = "SubjectsHeaderError";
  }
}

/** The format a file name announces, or undefined to decide by content. */
export function subjectsFormatOfName(fileName: string): SubjectsFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

type CsvColumns = Readonly<{ id: number; region: number; count: number }>;

/**
 * The subjects of an enrollment file, one row per non-blank line: NDJSON objects
 * `{"id", "region"}` or CSV with an `id,region` header. Without a format, a first line that
 * starts with `{` means NDJSON. A bad line is a row with its refusal; a CSV file without its
 * header throws `SubjectsHeaderError` before any row.
 */
export async function* readSubjects(
  lines: AsyncIterable<NdjsonLine>,
  format: SubjectsFormat | undefined,
): AsyncGenerator<SubjectRow> {
  let decided = format;
  let columns: CsvColumns | undefined;
  for await (const line of lines) {
    const { lineNumber } = line;
    if (!("text" in line)) {
      const unreadable = unreadableRow(line, decided);
      if (decided === "csv" && !columns) throw headerError(lineNumber, unreadable.message);
      yield unreadable;
      continue;
    }
    decided ??= line.text.trimStart().startsWith("{") ? "ndjson" : "csv";
    if (decided === "ndjson") {
      yield ndjsonRow(lineNumber, line.text);
      continue;
    }
    if (!columns) {
      columns = csvHeader(lineNumber, line.text);
      continue;
    }
    yield csvRow(lineNumber, line.text, columns);
  }
}

/** A line too large to read, or not UTF-8: refused as ingest refuses it. */
function unreadableRow(
  line: Exclude<NdjsonLine, { text: string }>,
  format: SubjectsFormat | undefined,
): Extract<SubjectRow, { refusal: SubjectRefusalKind }> {
  const { lineNumber } = line;
  if ("tooLarge" in line) {
    return {
      lineNumber,
      refusal: "too_large",
      message: `line is ${line.bytes} bytes; at most ${subjectLineBytesMax}`,
    };
  }
  const refusal = format === "csv" ? "malformed_csv" : "malformed_json";
  return { lineNumber, refusal, message: "line is not valid UTF-8" };
}

function ndjsonRow(lineNumber: number, text: string): SubjectRow {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { lineNumber, refusal: "malformed_json", message: (error as Error).message };
  }
  return validated(lineNumber, input);
}

function csvHeader(lineNumber: number, text: string): CsvColumns {
  const names = splitCsvLine(text)?.map((name) => name.trim().toLowerCase());
  const id = names?.indexOf("id") ?? -1;
  const region = names?.indexOf("region") ?? -1;
  if (!names || id < 0 || region < 0) {
    const quoted =
      text.length > headerQuotedCharactersMax
        ? `${text.slice(0, headerQuotedCharactersMax)}…`
        : text;
    throw headerError(lineNumber, `found ${JSON.stringify(quoted)}`);
  }
  return { id, region, count: names.length };
}

function headerError(lineNumber: number, found: string): SubjectsHeaderError {
  return new SubjectsHeaderError(
    lineNumber,
    `the first line must be a CSV header naming the columns id and region, e.g. "${subjectsCsvHeader}" (${found})`,
  );
}

function csvRow(lineNumber: number, text: string, columns: CsvColumns): SubjectRow {
  const fields = splitCsvLine(text);
  if (!fields) return { lineNumber, refusal: "malformed_csv", message: "unbalanced quotes" };
  if (fields.length !== columns.count) {
    return {
      lineNumber,
      refusal: "malformed_csv",
      message: `expected ${columns.count} fields as in the header, found ${fields.length}`,
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
  return { lineNumber, refusal: "invalid_field", message: path ? `${path}: ${message}` : message };
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
