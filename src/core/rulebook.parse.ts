import { type CST, type Document, isNode, LineCounter, Parser, parseDocument } from "yaml";
import { formatPath } from "./field-path.js";
import { compileRulebook, type Rulebook, type RulebookProblem } from "./rulebook.js";
import { type RulebookDocument, rulebookSchema } from "./rulebook.schema.js";

/** A rulebook file larger than this is refused before it is parsed. */
export const rulebookBytesMax = 1_048_576;
/** YAML aliases allowed in one rulebook; a "billion laughs" document needs far more. */
export const rulebookAliasCountMax = 20;
/**
 * Collections nested deeper than this are refused before they are composed. A rulebook needs 4
 * levels; a few kilobytes of `[[[[...` would otherwise overflow the YAML composer's recursion,
 * which can abort the whole process (seen with Node 20 when a RegExp compiles near the limit).
 */
export const rulebookNestingDepthMax = 32;

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
  const tooDeepAt = deepNestingOffset(text, rulebookNestingDepthMax);
  if (tooDeepAt !== undefined) {
    const position = linePosition(text, tooDeepAt);
    return {
      ok: false,
      problems: [
        {
          file,
          ...position,
          path: "",
          message: `collections nested more than ${rulebookNestingDepthMax} deep`,
        },
      ],
    };
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
      problems: parsed.error.issues.flatMap((issue) => {
        const path = issue.path as (string | number)[];
        // Point at each unknown field itself, not at the mapping that holds it.
        if (issue.code === "unrecognized_keys") {
          return issue.keys.map((key) =>
            locate({ path: [...path, key], message: "unknown field" }),
          );
        }
        return [locate({ path, message: issue.message })];
      }),
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

/**
 * The offset of the first collection nested deeper than `depthMax`, found on the concrete syntax
 * tree: the YAML parser keeps its own stack, and this walk keeps an explicit one.
 */
function deepNestingOffset(text: string, depthMax: number): number | undefined {
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of new Parser().parse(text)) {
    if (token.type === "document" && token.value) pending.push({ token: token.value, depth: 0 });
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { token, depth } = next;
    if (!("items" in token)) continue;
    if (depth + 1 > depthMax) return token.offset;
    for (const item of token.items) {
      if ("key" in item && item.key) pending.push({ token: item.key, depth: depth + 1 });
      if ("value" in item && item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

function linePosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
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
