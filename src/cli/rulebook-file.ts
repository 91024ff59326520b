import { readFile, stat } from "node:fs/promises";
import {
  formatProblem,
  type LocatedProblem,
  type ParseResult,
  parseRulebook,
  rulebookBytesMax,
} from "../core/rulebook.parse.js";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";
import { describeFileError } from "./input-file.js";

/** Reads and compiles a rulebook file; an oversized file is refused before it is read. */
export async function parseRulebookFile(
  file: string,
): Promise<{ result: ParseResult; text: string }> {
  let size: number;
  try {
    const status = await stat(file);
    if (!status.isFile()) throw new CliError(exitCodes.usage, `${file} is not a regular file`);
    size = status.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(exitCodes.usage, `cannot read ${file}: ${describeFileError(error)}`);
  }
  if (size > rulebookBytesMax) {
    const message = `file is ${size} bytes; a rulebook may be at most ${rulebookBytesMax}`;
    const problem = { file, line: undefined, column: undefined, path: "", message };
    return { result: { ok: false, problems: [problem] }, text: "" };
  }
  const text = await readFile(file, "utf8");
  return { result: parseRulebook(text, file), text };
}

export function problemsText(problems: readonly LocatedProblem[]): string {
  return `${problems.map(formatProblem).join("\n")}\n${problems.length} problem${problems.length === 1 ? "" : "s"}\n`;
}
