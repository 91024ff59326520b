import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { formatPath } from "./field-path.js";
import { compileRulebook, type Rulebook, type RulebookProblem } from "./rulebook.js";
import { type RulebookDocument, rulebookSchema } from "./rulebook.schema.js";

/** A rulebook file larger than this is refused before it is parsed. */
export const rulebookBytesMax = 1_048_576;
/** YAML aliases allowed in one rulebook; a "billion laughs" document needs far more. */
export const rulebookAliasCountMax = 20;

export type LocatedProblem = Readonly<{
  file: string;
  line: number | undefined;
  column: number | undefined;
  path: string;
  message: string;
}>;

export type ParseResult =
  | { ok: true; rulebook: Rulebook; document: RulebookDocument }
  | { ok: false; problems: LocatedProblem[] };

/** Parses, validates and compiles a rulebook from YAML text. Never throws on bad input. */
export function parseRulebook(text: string, file: string): ParseResult {
  const size = Buffer.byteLength(text, "utf8");
  if (size > rulebookBytesMax) {
    return refuse(file, `file is ${size} bytes; a rulebook may be at most ${rulebookBytesMax}`);
  }
  const lineCounter = new LineCounter();
  const yamlDocument = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (yamlDocument.errors.length > 0) {
    return {
      ok: false,
      problems: yamlDocument.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          file,
          line: position.line,
          column: position.col,
          path: "",
          message: error.message,
        };
      }),
    };
  }
  let plain: unknown;
  try {
    plain = yamlDocument.toJS({ maxAliasCount: rulebookAliasCountMax });
  } catch (error) {
    return refuse(file, `YAML refused: ${(error as Error).message}`);
  }
  const parsed = rulebookSchema.safeParse(plain);
  const locate = locator(file, yamlDocument, lineCounter);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) =>
        locate({ path: issue.path as (string | number)[], message: issue.message }),
      ),
    };
  }
  const compiled = compileRulebook(parsed.data);
  if (!compiled.ok) return { ok: false, problems: compiled.problems.map(locate) };
  return { ok: true, rulebook: compiled.rulebook, document: parsed.data };
}

/** `rulebooks/x.yaml:12:5: rules[3].category: message` */
export function formatProblem(problem: LocatedProblem): string {
  const position =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path
    ? `${position}: ${problem.path}: ${problem.message}`
    : `${position}: ${problem.message}`;
}

function refuse(file: string, message: string): ParseResult {
  return { ok: false, problems: [{ file, line: undefined, column: undefined, path: "", message }] };
}

function locator(file: string, yamlDocument: Document, lineCounter: LineCounter) {
  return (problem: RulebookProblem): LocatedProblem => {
    // The deepest node that exists along the path: a missing field points at its parent.
    for (let depth = problem.path.length; depth >= 0; depth--) {
      const node = yamlDocument.getIn(problem.path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const position = lineCounter.linePos(node.range[0]);
        return {
          file,
          line: position.line,
          column: position.col,
          path: formatPath(problem.path),
          message: problem.message,
        };
      }
    }
    return {
      file,
      line: undefined,
      column: undefined,
      path: formatPath(problem.path),
      message: problem.message,
    };
  };
}
