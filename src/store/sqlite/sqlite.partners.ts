import type Database from "better-sqlite3";
import type { PartnerKind, Purpose } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { PartnerInput, PartnerRecord } from "../access.store.js";
import { checkPartner } from "../checks.js";
import { type ForeignCommits, ReadCache } from "./sqlite.read-cache.js";

type PartnerRow = { name: string; kind: PartnerKind; purposes: string; created_at: number };

const columns = "name, kind, purposes, created_at";

/** The partners that query scores, each with the purposes it declared. */
export class PartnerRegistry {
  private readonly selectOne;
  private readonly selectAll;
  private readonly insert;
  /** Every partner lookup reads its partner. */
  private readonly cache: ReadCache<string, PartnerRecord>;

  constructor(database: Database.Database, foreign: ForeignCommits) {
    this.selectOne = database.prepare<[string], PartnerRow>(
      `SELECT ${columns} FROM partners WHERE name = ?`,
    );
    this.selectAll = database.prepare<[], PartnerRow>(
      `SELECT ${columns} FROM partners ORDER BY id`,
    );
    this.insert = database.prepare<[string, PartnerKind, string, Instant]>(
      `INSERT INTO partners (name, kind, purposes, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO NOTHING`,
    );
    this.cache = new ReadCache(database, foreign, (name) => {
      const row = this.selectOne.get(name);
      return row && toRecord(row);
    });
  }

  add(input: PartnerInput, at: Instant): PartnerRecord | { refused: string } {
    const problem = checkPartner(input);
    if (problem) return { refused: problem };
    this.cache.forget(input.name);
    const inserted = this.insert.run(input.name, input.kind, JSON.stringify(input.purposes), at);
    if (inserted.changes === 0)
      return { refused: `a partner named '${input.name}' already exists` };
    return { name: input.name, kind: input.kind, purposes: [...input.purposes], createdAt: at };
  }

  partner(name: string): PartnerRecord | undefined {
    return this.cache.get(name);
  }

  partners(): PartnerRecord[] {
    return this.selectAll.all().map(toRecord);
  }
}

function toRecord(row: PartnerRow): PartnerRecord {
  return {
    name: row.name,
    kind: row.kind,
    purposes: JSON.parse(row.purposes) as Purpose[],
    createdAt: row.created_at,
  };
}
