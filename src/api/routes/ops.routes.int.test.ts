import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inquiryRefusals } from "../../core/consent.js";
import { bearer, openTestApp, problemOf, type TestApp } from "../../test-support/api.js";
import { problemContentType } from "../responses.js";

let test: TestApp;
beforeAll(async () => {
  test = await openTestApp();
});
afterAll(() => test.close());

type Media = { examples?: Record<string, { summary?: string; value?: unknown }> };
type Operation = {
  description?: string;
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
  requestBody?: unknown;
  parameters?: unknown[];
};
type SchemaObject = { enum?: string[]; type?: string; description?: string };

async function openApi(): Promise<{
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, SchemaObject> }> };
}> {
  const response = await test.app.inject({ method: "GET", url: "/docs/json" });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe("operations routes", () => {
  it("GET /healthz answers while the process lives", async () => {
    const response = await test.app.inject({ method: "GET", url: "/healthz" });
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers when the store does", async () => {
    const response = await test.app.inject({ method: "GET", url: "/readyz" });
    expect(response.json()).toEqual({ status: "ready", rulebookVersion: 1 });
  });

  it("GET /metrics answers the Prometheus text format with request timings", async () => {
    await test.app.inject({ method: "GET", url: "/healthz" });
    const response = await test.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body).toContain("# TYPE civic_http_request_seconds histogram");
    expect(response.body).toContain('route="/healthz"');
    expect(response.body).toContain("process_cpu_seconds_total");
  });

  it("sets security headers and answers unknown routes with problem+json", async () => {
    const response = await test.app.inject({ method: "GET", url: "/v1/nothing/c-001" });
    expect(problemOf(response)).toMatchObject({ status: 404, code: "not_found" });
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("serves Swagger UI at /docs", async () => {
    const response = await test.app.inject({ method: "GET", url: "/docs/" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("swagger");
  });
});

describe("the OpenAPI document at /docs/json", () => {
  it("lists every route of this module set with its body and responses", async () => {
    const document = await openApi();
    expect(document.openapi).toMatch(/^3\./);
    const expected: ReadonlyArray<readonly [string, string, number]> = [
      ["get", "/healthz", 200],
      ["get", "/readyz", 200],
      ["get", "/metrics", 200],
      ["post", "/v1/events", 200],
      ["post", "/v1/subjects", 200],
      ["post", "/v1/credentials", 201],
      ["get", "/v1/credentials", 200],
      ["delete", "/v1/credentials/{keyId}", 200],
      ["post", "/v1/sources", 201],
      ["get", "/v1/sources", 200],
      ["post", "/v1/partners", 201],
      ["get", "/v1/partners", 200],
      ["post", "/v1/rulebooks", 201],
      ["get", "/v1/rulebook", 200],
      ["get", "/v1/rulebooks", 200],
      ["get", "/v1/rulebooks/{version}", 200],
      ["get", "/v1/benefits", 200],
      ["get", "/v1/statistics", 200],
      ["get", "/v1/audit", 200],
    ];
    for (const [method, path, success] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}), `${method} ${path}`).toContain(
        String(success),
      );
      if (method === "post") expect(operation?.requestBody, `${method} ${path}`).toBeDefined();
    }
    const events = document.paths["/v1/events"]?.post;
    for (const status of ["400", "401", "403", "413", "415", "429", "500"]) {
      expect(events?.responses[status]?.content, status).toHaveProperty([problemContentType]);
    }
    expect(JSON.stringify(events?.requestBody)).toContain("occurredAt");
  });

  it("documents the errors of every operation as problem+json, and hides the docs' own routes", async () => {
    const document = await openApi();
    expect(Object.keys(document.paths).some((path) => path.startsWith("/docs"))).toBe(false);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((status) => status.startsWith("2")),
          `${method} ${path}`,
        ).toBe(true);
        for (const status of ["401", "429", "500"]) {
          expect(
            operation.responses[status]?.content,
            `${method} ${path} ${status}`,
          ).toHaveProperty([problemContentType]);
        }
      }
    }
  });

  it("is readable without credentials and refuses a bad key like any route", async () => {
    const response = await test.app.inject({
      method: "GET",
      url: "/docs/json",
      headers: bearer("cck_bad"),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("what the document tells a client", () => {
  /**
   * Success responses of routes whose files this change did not touch (being changed at the
   * same time): give each a description with `successResponse`, then drop it from this list.
   */

  it("describes every success response in a line of its own", async () => {
    const document = await openApi();
    const undescribed: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!status.startsWith("2")) continue;
          if (!response.description || response.description === "Default Response") {
            undescribed.push(`${method} ${path} ${status}`);
          }
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it("shows example bodies for the routes clients start with", async () => {
    const document = await openApi();
    const examplesOf = (method: string, path: string, status: string) =>
      Object.keys(
        document.paths[path]?.[method]?.responses[status]?.content?.["application/json"]
          ?.examples ?? {},
      );
    expect(examplesOf("post", "/v1/events", "200")).toEqual(["single", "batch"]);
    expect(examplesOf("post", "/v1/inquiries", "200")).toEqual(["rating", "eligibility"]);
    expect(examplesOf("get", "/v1/rulebook", "200")).toHaveLength(1);
    expect(examplesOf("get", "/v1/rulebooks", "200")).toHaveLength(1);
    expect(examplesOf("post", "/v1/session", "200")).toHaveLength(1);
    const body = document.paths["/v1/events"]?.post?.requestBody as {
      content: Record<string, Media>;
    };
    expect(Object.keys(body.content["application/json"]?.examples ?? {})).toEqual([
      "single",
      "batch",
    ]);
  });

  it("documents the refusals of POST /v1/inquiries as the server sends them", async () => {
    const document = await openApi();
    const problem = document.components.schemas.Problem?.properties ?? {};
    expect(problem.refusal?.enum).toEqual([...inquiryRefusals]);
    expect(problem.refusal?.description).toBeTruthy();
    expect(problem.benefitIds).toMatchObject({ type: "array" });
    expect(problem.acceptedRoles).toMatchObject({ type: "array" });
    expect(problem.bodyBytesMax).toMatchObject({ type: "integer" });
    const description = document.paths["/v1/inquiries"]?.post?.description ?? "";
    for (const refusal of inquiryRefusals) expect(description).toContain(`\`${refusal}\``);
    expect(description).toContain("`benefitIds`");
  });
});
