/**
 * `npm start` shows the app: `civic serve`, as a separate process on a fresh data folder,
 * answers the built web app at / and at client routes, with its scripts, beside the API.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { civicBin, temporaryFolder } from "../../src/test-support/ledger.js";

const folder = temporaryFolder("serve-web");
let server: ChildProcessWithoutNullStreams;
let url = "";

beforeAll(async () => {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ["CIVIC_DATA", "CIVIC_PORT", "CIVIC_HOST"]) delete env[name];
  server = spawn(
    process.execPath,
    [
      civicBin,
      "serve",
      "--port",
      "0",
      "--data",
      join(folder.path, "data"),
      "--log-level",
      "warn",
      "--no-demo",
    ],
    { env, stdio: ["pipe", "pipe", "pipe"] },
  );
  server.stderr.setEncoding("utf8").on("data", (text: string) => process.stderr.write(text));
  url = await new Promise<string>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`civic serve exited with ${code}`)));
    createInterface({ input: server.stdout }).on("line", (line) => {
      const match = /the web app is at (http:\/\/\S+)\/ /.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
}, 30_000);

afterAll(() => {
  if (server.exitCode === null) server.kill("SIGTERM");
  folder.remove();
});

it("serves the built app at / and at client routes, and its entry script", async () => {
  const home = await fetch(`${url}/`);
  expect(home.status).toBe(200);
  const html = await home.text();
  expect(html).toContain('<div id="root"></div>');
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html)?.[1];
  expect(script, "index.html loads the entry chunk").toBeDefined();
  expect(html, "no inline script").not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const entry = await fetch(`${url}${script}`);
  expect(entry.status).toBe(200);
  expect(entry.headers.get("content-type")).toMatch(/javascript/);
  for (const route of ["/history", "/console/appeals"]) {
    const page = await fetch(`${url}${route}`);
    expect(await page.text(), route).toBe(html);
  }
  expect((await fetch(`${url}/v1/nope`)).headers.get("content-type")).toMatch(/problem\+json/);
  expect((await fetch(`${url}/manifest.webmanifest`)).status).toBe(200);
});
