/**
 * Fixtures for integration and end-to-end tests of ingestion, verification and the CLI: a real
 * SQLite ledger in a temporary folder, event lines, and a runner for `bin/civic.js`. Test code
 * only (not built).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EventInput } from "../core/event.js";
import { parseRulebook } from "../core/rulebook.parse.js";
import type { SourceProfile } from "../core/source.js";
import type { Instant } from "../core/time.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import type { LedgerStore, SourceInput, SubjectInput } from "../store/store.js";

export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
export const civicBin = join(repositoryRoot, "bin/civic.js");
const defaultRulebookPath = join(repositoryRoot, "rulebooks/default.yaml");

export function temporaryFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `civic-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type TestLedger = Readonly<{
  store: LedgerStore;
  directory: string;
  sources: ReadonlyMap<string, SourceProfile>;
  close: () => Promise<void>;
}>;

/** A SQLite ledger with the default rulebook, the given sources and subjects, at `at`. */
export async function openTestLedger({
  at,
  sources = [],
  subjects = [],
}: Readonly<{
  at: Instant;
  sources?: readonly SourceInput[];
  subjects?: readonly SubjectInput[];
}>): Promise<TestLedger> {
  const folder = temporaryFolder("ledger");
  const store = openSqliteStore({ path: sqliteDatabasePath(folder.path) });
  const text = readFileSync(defaultRulebookPath, "utf8");
  const parsed = parseRulebook(text, defaultRulebookPath);
  if (!parsed.ok) throw new Error("the default rulebook does not compile");
  await store.publishRulebook({
    text,
    rulebook: parsed.rulebook,
    publishedAt: at,
    publishedBy: "test",
  });
  const profiles = new Map<string, SourceProfile>();
  for (const source of sources) {
    const added = await store.addSource(source, at);
    if ("refused" in added) throw new Error(added.refused);
    profiles.set(added.name, added);
  }
  if (subjects.length > 0) await store.enrollSubjects(subjects, at);
  return {
    store,
    directory: folder.path,
    sources: profiles,
    close: async () => {
      await store.close();
      folder.remove();
    },
  };
}

/** One NDJSON line of a valid event; `overrides` replace fields (undefined removes one). */
export function eventLine(overrides: Partial<Record<keyof EventInput, unknown>> = {}): string {
  const event: Record<string, unknown> = {
    id: "e-1",
    subject: "c-001",
    type: "traffic.red_light",
    occurredAt: "2026-01-10T08:30:00Z",
    evidence: { description: "Signal red for 3 s", reference: "TP-1" },
    ...overrides,
  };
  for (const [key, value] of Object.entries(event)) if (value === undefined) delete event[key];
  return JSON.stringify(event);
}

export type CivicRun = Readonly<{ status: number; stdout: string; stderr: string }>;

/** Runs `node bin/civic.js ARGS --data DATA` to completion (dist must be built). */
export function runCivic(
  args: readonly string[],
  options: Readonly<{ data?: string; input?: string; env?: Record<string, string> }> = {},
): Promise<CivicRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env?.CIVIC_DATA) delete env.CIVIC_DATA;
  const child = spawn(
    process.execPath,
    [civicBin, ...args, ...(options.data ? ["--data", options.data] : [])],
    { env, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Parses NDJSON output, one value per non-blank line. */
export function ndjson(text: string): unknown[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}
