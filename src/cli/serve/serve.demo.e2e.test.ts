import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { civicBin, temporaryFolder } from "../../test-support/ledger.js";

/**
 * `civic serve` on a fresh data folder seeds the demo city once, prints sign-ins that work over
 * real HTTP, and a restart on the same folder seeds nothing again.
 */
const folder = temporaryFolder("demo");
const data = join(folder.path, "data");
let server: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  folder.remove();
});

type Started = Readonly<{ url: string; stdout: string }>;

/** Starts the server and waits for its last startup line (the sign-ins, or their file). */
function start(): Promise<Started> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ["CIVIC_DATA", "CIVIC_PORT", "CIVIC_HOST"]) delete env[name];
  const child = spawn(process.execPath, [civicBin, "serve", "--port", "0", "--data", data], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  server = child;
  child.stderr.setEncoding("utf8").on("data", (text: string) => process.stderr.write(text));
  let stdout = "";
  let url = "";
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`civic serve exited with ${code}: ${stdout}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      stdout += `${line}\n`;
      url = /serving .* at (http:\/\/\S+) /.exec(line)?.[1] ?? url;
      const ready = /^ {2}admin {5}key in /.test(line) || /sign-ins are in /.test(line);
      if (ready && url) resolve({ url, stdout });
    });
  });
}

async function stop(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function call(url: string, method: string, path: string, key?: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function signInsOf(stdout: string) {
  const citizen = /^ {2}citizen {3}(\S+), passphrase (\S+)$/m.exec(stdout);
  const reviewer = /^ {2}reviewer {2}(\S+), key (cck_\S+)$/m.exec(stdout);
  const partner = /^ {2}partner {3}(\S+), key (cck_\S+)$/m.exec(stdout);
  const seconds = /demo city seeded in ([\d.]+) s/.exec(stdout);
  if (!citizen || !reviewer || !partner || !seconds) throw new Error(`no sign-ins in:\n${stdout}`);
  return {
    subjectId: citizen[1] as string,
    passphrase: citizen[2] as string,
    reviewerKey: reviewer[2] as string,
    partner: partner[1] as string,
    partnerKey: partner[2] as string,
    seconds: Number(seconds[1]),
  };
}

async function signIn(url: string, subjectId: string, passphrase: string): Promise<string> {
  const session = await call(url, "POST", "/v1/session", undefined, { subjectId, passphrase });
  expect(session.status).toBe(200);
  return session.json.token as string;
}

describe("the demo city behind npm start", () => {
  it("is seeded once, in well under a minute, with sign-ins that work", async () => {
    const first = await start();
    const signIns = signInsOf(first.stdout);
    process.stderr.write(`demo city seeded in ${signIns.seconds} s\n`);
    expect(signIns.seconds).toBeLessThan(60);
    expect(first.stdout).toContain("audit: every score matches");
    const adminKey = readFileSync(join(data, "admin-key.txt"), "utf8").trim();
    expect(first.stdout).not.toContain(adminKey);
    expect(statSync(join(data, "demo-sign-ins.txt")).mode & 0o777).toBe(0o600);

    const { url } = first;
    const token = await signIn(url, signIns.subjectId, signIns.passphrase);
    const entries = await call(url, "GET", "/v1/me/entries", token);
    const statuses = (entries.json.entries as { status: string }[]).map((entry) => entry.status);
    expect(statuses).toContain("expired");
    expect(statuses).toContain("reversed");
    const appeals = await call(url, "GET", "/v1/me/appeals", token);
    expect(appeals.json.appeals).toHaveLength(1);
    const benefits = await call(url, "GET", "/v1/me/benefits", token);
    const inProgress = (benefits.json.benefits as { eligible: boolean; heldDays: number }[]).filter(
      (benefit) => !benefit.eligible && benefit.heldDays > 0,
    );
    expect(inProgress.length).toBeGreaterThan(0);

    const reviews = await call(url, "GET", "/v1/reviews", signIns.reviewerKey);
    expect(reviews.status).toBe(200);
    const inquiry = await call(url, "POST", "/v1/inquiries", signIns.partnerKey, {
      subjectId: signIns.subjectId,
      purpose: "credit",
      disclosure: "score",
    });
    expect(inquiry.status).toBe(200);
    expect(inquiry.json.partner).toBe(signIns.partner);
    expect(typeof inquiry.json.score).toBe("number");
    const statistics = await call(url, "GET", "/v1/statistics", adminKey);
    const counts = statistics.json.counts as { subjects: number; entries: number };
    expect(counts.subjects).toBe(5_000);
    // What the start set up is in the audit log, oldest first: the operator's rulebook and
    // admin key, then the demo's city and its keys.
    const audit = await call(url, "GET", "/v1/audit?limit=10", adminKey);
    const lines = (audit.json.entries as { actor: string; action: string; target: string }[])
      .map(({ actor, action, target }) => ({ actor, action, target: target.split(":")[0] }))
      .reverse();
    expect(lines).toEqual([
      { actor: expect.stringMatching(/^cli:/), action: "rulebook.publish", target: "rulebook" },
      { actor: expect.stringMatching(/^cli:/), action: "credential.create", target: "credential" },
      { actor: "civic serve (demo)", action: "demo.seed", target: "5000 subjects" },
      { actor: "civic serve (demo)", action: "credential.create", target: "credential" },
      { actor: "civic serve (demo)", action: "credential.create", target: "credential" },
    ]);
    // Each line carries its action's time: the demo's rulebook was published when its city's
    // history starts, half a year before now, and the log says so.
    const rulebooks = await call(url, "GET", "/v1/rulebooks", undefined);
    const [version] = rulebooks.json.versions as { publishedAt: string }[];
    const published = (audit.json.entries as { action: string; at: string }[]).find(
      (line) => line.action === "rulebook.publish",
    );
    expect(published?.at).toBe(version?.publishedAt);
    expect(Date.parse(published?.at ?? "")).toBeLessThan(Date.now() - 150 * 86_400_000);
    await stop();

    const second = await start();
    expect(second.stdout).not.toContain("seeding the demo city");
    expect(second.stdout).toContain("demo-sign-ins.txt");
    const again = await call(second.url, "GET", "/v1/statistics", adminKey);
    expect(again.json.counts).toMatchObject({ subjects: 5_000, entries: counts.entries });
    await signIn(second.url, signIns.subjectId, signIns.passphrase);
    await stop();
  }, 240_000);
});
