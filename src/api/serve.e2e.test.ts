import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { civicBin, runCivic, temporaryFolder } from "../test-support/ledger.js";

/**
 * `civic serve` over real HTTP: a fresh data folder gets an admin key file, an admin sets up a
 * source, the source reports events, and SIGTERM with a batch in flight exits 0 with the batch
 * fully committed.
 */
const folder = temporaryFolder("serve");
const data = join(folder.path, "data");
let server: ChildProcessWithoutNullStreams;
let stdout = "";
let url = "";
let adminKey = "";
let sourceKey = "";

function startServer(): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CIVIC_DATA;
  delete env.CIVIC_PORT;
  delete env.CIVIC_HOST;
  // An empty ledger: this test counts every entry (the demo city has its own test).
  server = spawn(
    process.execPath,
    [civicBin, "serve", "--port", "0", "--no-demo", "--data", data],
    {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  server.stderr.setEncoding("utf8").on("data", (text: string) => process.stderr.write(text));
  return new Promise((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`civic serve exited with ${code}`)));
    createInterface({ input: server.stdout }).on("line", (line) => {
      stdout += `${line}\n`;
      const match = /serving .* at (http:\/\/\S+) /.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
}

async function call(method: string, path: string, key?: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), text };
}

function events(count: number, prefix: string) {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    subject: `c-${index % 50}`,
    type: index % 3 === 0 ? "traffic.red_light" : "civic.volunteering",
    occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    evidence: { description: `report ${index}` },
  }));
}

async function until(condition: () => boolean, timeoutMilliseconds = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  url = await startServer();
  adminKey = readFileSync(join(data, "admin-key.txt"), "utf8").trim();
}, 30_000);

afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
  folder.remove();
});

describe("civic serve", () => {
  it("writes the admin key and the session secret readable by the owner only", () => {
    expect(adminKey).toMatch(/^cck_/);
    expect(statSync(join(data, "admin-key.txt")).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, "session-secret")).mode & 0o777).toBe(0o600);
    expect(stdout).toContain(join(data, "admin-key.txt"));
    expect(stdout).not.toContain(adminKey);
  });

  it("answers /healthz, /readyz, /metrics and /docs/json", async () => {
    expect((await call("GET", "/healthz")).status).toBe(200);
    expect(JSON.parse((await call("GET", "/readyz")).text)).toEqual({
      status: "ready",
      rulebookVersion: 1,
    });
    const metrics = await call("GET", "/metrics");
    expect(metrics.text).toContain("civic_http_request_seconds");
    const document = JSON.parse((await call("GET", "/docs/json")).text);
    for (const path of ["/v1/events", "/v1/credentials", "/v1/rulebook", "/healthz"]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });

  it("lets an admin add a source and its key, and the source report a batch", async () => {
    const source = await call("POST", "/v1/sources", adminKey, {
      name: "feed",
      kind: "agency",
      allowedTypes: ["traffic.*", "civic.*"],
    });
    expect(source.status).toBe(201);
    const credential = await call("POST", "/v1/credentials", adminKey, {
      role: "source",
      principal: "feed",
    });
    expect(credential.status).toBe(201);
    sourceKey = JSON.parse(credential.text).key;
    const subjects = Array.from({ length: 50 }, (_, index) => ({
      id: `c-${index}`,
      region: index % 2 === 0 ? "north" : "south",
    }));
    expect((await call("POST", "/v1/subjects", adminKey, { subjects })).status).toBe(200);
    const batch = await call("POST", "/v1/events", sourceKey, { events: events(100, "first") });
    expect(batch.status).toBe(200);
    expect(JSON.parse(batch.text).counts.accepted).toBe(100);
    const refused = await call("POST", "/v1/events", sourceKey, "{");
    expect(refused.status).toBe(400);
    expect(refused.type).toMatch(/^application\/problem\+json/);
  });

  it("refuses a port that is taken with exit code 2", async () => {
    const port = new URL(url).port;
    const second = await runCivic(["serve", "--port", port], {
      data: join(folder.path, "other"),
    });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+/);
  });

  it("logs one line per request with the route pattern, and no key", async () => {
    await until(
      () => stdout.split("\n").filter((line) => line.includes('"/v1/events"')).length >= 2,
    );
    const lines = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const events = lines.filter((line) => line.route === "/v1/events");
    expect(events.length).toBe(2);
    expect(events[0]).toMatchObject({ method: "POST", status: 200, role: "source" });
    expect(stdout).not.toContain(adminKey.slice(17));
    expect(stdout).not.toContain(sourceKey.slice(17));
    expect(stdout.toLowerCase()).not.toContain("authorization");
  });

  it("on SIGTERM finishes the batch in flight, exits 0, and the ledger verifies", async () => {
    const body = JSON.stringify({ events: events(10_000, "last") });
    const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request(
        `${url}/v1/events`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${sourceKey}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8").on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      outgoing.on("error", reject);
      // Half the body, then the signal, then the rest: the server is inside the request when
      // it is told to stop, and must still read, commit and answer it.
      const half = Math.floor(body.length / 2);
      outgoing.write(body.slice(0, half));
      setTimeout(() => server.kill("SIGTERM"), 300);
      setTimeout(() => outgoing.end(body.slice(half)), 600);
    });
    const response = await answered;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).counts.accepted).toBe(10_000);
    expect(await exited).toBe(0);
    // The signal arrived before the batch was answered: it was in flight, and it was finished.
    const signalled = stdout.indexOf("SIGTERM: finishing requests in flight");
    const answeredAt = stdout.lastIndexOf('"route":"/v1/events"');
    expect(signalled).toBeGreaterThan(0);
    expect(answeredAt).toBeGreaterThan(signalled);
    expect(stdout).toContain("civic: stopped");

    const verified = await runCivic(["verify", "--json"], { data });
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, entries: 10_100 });
  }, 60_000);
});
