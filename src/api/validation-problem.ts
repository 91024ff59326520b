import type { FastifyRequest, FastifySchemaValidationError } from "fastify";
import { ApiError } from "./errors.js";

/** The most issues one problem lists. */
const issuesMax = 20;

/** The issue codes zod gives a value of the wrong type or outside a list: also a missing one. */
const typeIssueCodes: ReadonlySet<string> = new Set(["invalid_type", "invalid_value"]);

type ValidationFailure = Readonly<{
  validation: readonly FastifySchemaValidationError[];
  validationContext?: string;
}>;

/**
 * A request that does not match its schema, as `validation_failed` with one issue per field. A
 * field that is missing says that it is required (zod words it like a wrong value: "Invalid
 * option", "expected string, received undefined").
 */
export function validationFailed(error: ValidationFailure, request: FastifyRequest): ApiError {
  const context = error.validationContext ?? "request";
  const input = inputOf(request, context);
  const issues = error.validation.slice(0, issuesMax).map((issue) => {
    const path = issue.instancePath || "/";
    const missing = typeIssueCodes.has(issue.keyword) && isAbsent(input, path);
    return { path, message: missing ? requiredMessage(issue) : (issue.message ?? "invalid") };
  });
  const first = issues[0];
  return new ApiError(
    "validation_failed",
    first ? `${context} ${first.path}: ${first.message}` : "invalid request",
    { issues },
  );
}

/** What the request sent in the part that failed, before validation. */
function inputOf(request: FastifyRequest, context: string): unknown {
  switch (context) {
    case "body":
      return request.body;
    case "querystring":
      return request.query;
    case "params":
      return request.params;
    case "headers":
      return request.headers;
    default:
      return {};
  }
}

/** True when the member at `path` (`/a/0/b`) is absent while its parent is there. */
function isAbsent(input: unknown, path: string): boolean {
  const names = path === "/" ? [] : path.slice(1).split("/");
  const last = names.pop();
  if (last === undefined) return input === undefined;
  let parent = input;
  for (const name of names) {
    if (!isContainer(parent) || !Object.hasOwn(parent, name)) return false;
    parent = (parent as Record<string, unknown>)[name];
  }
  return isContainer(parent) && (parent as Record<string, unknown>)[last] === undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function requiredMessage(issue: FastifySchemaValidationError): string {
  const { expected, values } = issue.params as { expected?: unknown; values?: unknown };
  if (Array.isArray(values)) {
    return `required: one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  return typeof expected === "string" ? `required: expected ${expected}` : "required";
}
