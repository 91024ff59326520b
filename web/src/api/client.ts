import createClient, { type Middleware } from "openapi-fetch";
import { operatorSession } from "./operator-session";
import type { components, paths } from "./schema.gen";

/** The API's schemas, as its OpenAPI document (/docs/json) describes them. */
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

/** An answer that is not a success: the API's problem details, or a network failure. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> & { detail: string },
  ) {
    super(problem.detail);
    this.name = "ApiProblem";
  }
}

/**
 * The citizen's client: the session is the HttpOnly `civic_session` cookie the browser sends by
 * itself (SameSite=Strict), so no token is ever readable by scripts.
 */
export const citizenApi = createClient<paths>({ credentials: "same-origin" });

/** The operator's client: their API key, kept for this tab only, sent as a bearer. */
export const operatorApi = createClient<paths>({ credentials: "omit" });

const bearerFromSession: Middleware = {
  onRequest({ request }) {
    const session = operatorSession.read();
    // A request that names its own key (the sign-in page checking one) keeps it.
    if (session && !request.headers.has("authorization")) {
      request.headers.set("authorization", `Bearer ${session.key}`);
    }
    return request;
  },
};
operatorApi.use(bearerFromSession);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a success; anything else is thrown as an `ApiProblem`. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await pending;
  } catch {
    throw new ApiProblem(0, { detail: "network" });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem =
    typeof error === "object" && error !== null && "detail" in error
      ? (error as Problem)
      : { detail: response.statusText || String(response.status) };
  throw new ApiProblem(response.status, problem);
}
