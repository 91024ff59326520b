import { describe, expect, it } from "vitest";
import { createRouteMethods } from "./route-methods.js";

function routeMethods(routes: ReadonlyArray<readonly [string | string[], string]>) {
  const methods = createRouteMethods();
  for (const [method, url] of routes) methods.add({ method, url });
  return methods;
}

describe("the methods a path answers", () => {
  const methods = routeMethods([
    [["GET", "HEAD"], "/v1/me"],
    ["GET", "/v1/me/entries/:id"],
    ["POST", "/v1/me/entries/:id/appeal"],
    ["POST", "/v1/session"],
    ["DELETE", "/v1/session"],
    ["GET", "/docs/static/*"],
    ["GET", "/*"],
  ]);

  it("joins every route of the path, sorted", () => {
    expect(methods.allowedAt("/v1/me")).toEqual(["GET", "HEAD"]);
    expect(methods.allowedAt("/v1/session")).toEqual(["DELETE", "POST"]);
  });

  it("matches a parameter on one non-empty segment, and a trailing wildcard on the rest", () => {
    expect(methods.allowedAt("/v1/me/entries/7")).toEqual(["GET"]);
    expect(methods.allowedAt("/v1/me/entries/7/appeal")).toEqual(["POST"]);
    expect(methods.allowedAt("/v1/me/entries/")).toEqual([]);
    expect(methods.allowedAt("/v1/me/entries/7/other")).toEqual([]);
    expect(methods.allowedAt("/docs/static/")).toEqual(["GET"]);
    expect(methods.allowedAt("/docs/static/a/b.css")).toEqual(["GET"]);
    expect(methods.allowedAt("/docs/static")).toEqual([]);
  });

  it("knows no method for a path no route names: the web app's catch-all names none", () => {
    expect(methods.allowedAt("/v1/me/")).toEqual([]);
    expect(methods.allowedAt("/history")).toEqual([]);
  });

  it("refuses a pattern it cannot match rather than answer wrongly", () => {
    for (const url of ["/v1/items/:id(^\\d+$)", "/v1/:from-:to", "/v1/*/x", "/v1/a*"]) {
      expect(() => routeMethods([["GET", url]]), url).toThrow(/route-methods/);
    }
  });
});
