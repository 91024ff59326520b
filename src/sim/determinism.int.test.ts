import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { initialiseLedger } from "../cli/initialise.js";
import { openSqliteStore, sqliteDatabasePath } from "../store/sqlite/sqlite.store.js";
import { temporaryFolder } from "../test-support/ledger.js";
import { ProcessDriver } from "./driver.process.js";
import { runSimulation } from "./simulation.js";

/** Same seed, same ledger: two runs (faults and the crash included) write identical tables. */
const folders: { remove: () => void }[] = [];
afterAll(() => {
  for (const folder of folders) folder.remove();
});

const endAt = Date.parse("2026-10-01T00:00:00Z");
const days = 40;
/** Every table the simulation writes; keys and the admin audit log are random by design. */
const tables = [
  "meta",
  "rulebooks",
  "event_types",
  "sources",
  "subjects",
  "scores",
  "entries",
  "entry_transitions",
  "rating_changes",
  "partners",
  "consents",
  "inquiries",
  "appeals",
];

async function ledgerOf(seed: number): Promise<Record<string, unknown[]>> {
  const folder = temporaryFolder("determinism");
  folders.push(folder);
  const path = sqliteDatabasePath(folder.path);
  const store = openSqliteStore({ path });
  try {
    await initialiseLedger(store, { at: endAt - days * 86_400_000, by: "test" });
    const { report } = await runSimulation(new ProcessDriver(store, path), {
      subjects: 600,
      days,
      regions: 12,
      seed,
      endAt,
      faults: true,
    });
    expect(report.audit.ok).toBe(true);
    expect(report.crash).toBeDefined();
  } finally {
    await store.close();
  }
  const database = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      tables.map((table) => [
        table,
        database.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all(),
      ]),
    );
  } finally {
    database.close();
  }
}

describe("a simulation's seed", () => {
  it("gives identical ledgers twice, and another ledger with another seed", async () => {
    const first = await ledgerOf(99);
    const second = await ledgerOf(99);
    for (const table of tables) expect(second[table], table).toEqual(first[table]);
    expect((first.entries ?? []).length).toBeGreaterThan(1_000);
    expect((first.appeals ?? []).length).toBeGreaterThan(0);
    const other = await ledgerOf(100);
    expect(other.entries).not.toEqual(first.entries);
  });
});
