import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../test-support/api.js";
import { temporaryFolder } from "../test-support/ledger.js";

/**
 * The web app's files and client routes beside the API: a page path answers index.html, a
 * hashed asset is cached for good, and nothing shadows /v1, /docs or the operations routes.
 */
const folder = temporaryFolder("web-root");
const indexHtml =
  '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script>';
let test: TestApp;

beforeAll(async () => {
  mkdirSync(join(folder.path, "assets"));
  mkdirSync(join(folder.path, ".vite"));
  writeFileSync(join(folder.path, "index.html"), indexHtml);
  writeFileSync(join(folder.path, "assets", "app-1a2b.js"), "export {};\n");
  writeFileSync(join(folder.path, "manifest.webmanifest"), "{}\n");
  writeFileSync(join(folder.path, ".vite", "manifest.json"), "{}\n");
  test = await openTestApp({ webRoot: folder.path });
});

afterAll(async () => {
  await test.close();
  folder.remove();
});

const get = (url: string) =>
  test.app.inject({ method: "GET", url, headers: { accept: "text/html" } });

describe("the web app beside the API", () => {
  it.each(["/", "/history", "/history/12", "/console/reviews", "/access-log?x=1"])(
    "answers index.html for the client route %s",
    async (url) => {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.body).toBe(indexHtml);
    },
  );

  it("serves hashed assets for good, other files for revalidation", async () => {
    const asset = await get("/assets/app-1a2b.js");
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["content-type"]).toMatch(/javascript/);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const manifest = await get("/manifest.webmanifest");
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers["cache-control"]).toBe("public, max-age=0");
  });

  it("answers a missing file and a dot file with a problem, never with the page", async () => {
    for (const url of [
      "/assets/gone-9z9z.js",
      "/.vite/manifest.json",
      "/assets/../../etc/passwd.js",
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toContain("{}");
      expect(response.body, url).not.toBe(indexHtml);
      expect(response.headers["cache-control"], url).toBeUndefined();
    }
  });

  it.each([
    "/v1",
    "/v1/no-such-route",
    "/docs/no-such-page",
    "/metrics/x",
    "/healthz/x",
    "/readyz/x",
  ])("never shadows the API: %s stays a problem+json 404", async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("leaves the API's own routes as they were", async () => {
    expect((await get("/healthz")).json()).toEqual({ status: "ok" });
    expect((await get("/docs/json")).json()).toHaveProperty("openapi");
    expect((await get("/v1/rulebook")).statusCode).toBe(200);
    expect((await test.app.inject({ method: "POST", url: "/history" })).statusCode).toBe(404);
  });

  it("sends a strict content security policy with the page: no inline script or style", async () => {
    const policy = String((await get("/")).headers["content-security-policy"]);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).not.toContain("unsafe-eval");
  });

  it("says the app is not built when its folder has no index.html", async () => {
    const empty = temporaryFolder("web-root-empty");
    const unbuilt = await openTestApp({ webRoot: empty.path });
    try {
      const response = await unbuilt.app.inject({ method: "GET", url: "/" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: "not_ready" });
      expect(response.json().detail).toContain("npm run build");
    } finally {
      await unbuilt.close();
      empty.remove();
    }
  });
});
