import type Database from "better-sqlite3";
import { type PartnerKind, type Purpose, partnerKinds, purposes } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { PartnerInput, PartnerRecord } from "../access.store.js";

/** Longest partner name. */
export const partnerNameLengthMax = 128;

type PartnerRow = { name: string; kind: PartnerKind; purposes: string; created_at: number };

const columns = "name, kind, purposes, created_at";

/** The partners that query scores, each with the purposes it declared. */
export class PartnerRegistry {
  private readonly selectOne;
  private readonly selectAll;
  private readonly insert;

  constructor(database: Database.Database) {
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
  }

  add(input: PartnerInput, at: Instant): PartnerRecord | { refused: string } {
    const problem = checkPartner(input);
    if (problem) return { refused: problem };
    const inserted = this.insert.run(input.name, input.kind, JSON.stringify(input.purposes), at);
    if (inserted.changes === 0)
      return { refused: `a partner named '${input.name}' already exists` };
    return { name: input.name, kind: input.kind, purposes: [...input.purposes], createdAt: at };
  }

  partner(name: string): PartnerRecord | undefined {
    const row = this.selectOne.get(name);
    return row && toRecord(row);
  }

  partners(): PartnerRecord[] {
    return this.selectAll.all().map(toRecord);
  }
}

function checkPartner(input: PartnerInput): string | undefined {
  if (input.name.trim().length === 0 || input.name.length > partnerNameLengthMax) {
    return `a partner name must have 1 to ${partnerNameLengthMax} characters`;
  }
  if (!(partnerKinds as readonly string[]).includes(input.kind)) {
    return `unknown partner kind '${input.kind}'; kinds: ${partnerKinds.join(", ")}`;
  }
  const unknown = input.purposes.filter(
    (purpose) => !(purposes as readonly string[]).includes(purpose),
  );
  if (unknown.length > 0)
    return `unknown purpose '${unknown[0]}'; purposes: ${purposes.join(", ")}`;
  if (input.purposes.length === 0) return "a partner must declare at least one purpose";
  if (new Set(input.purposes).size !== input.purposes.length) {
    return "a partner declares each purpose at most once";
  }
  // Charter item 5: only an authority acts on a legal basis without consent.
  if (input.kind !== "authority" && input.purposes.includes("public_task")) {
    return "only an authority may declare 'public_task'";
  }
  return undefined;
}

function toRecord(row: PartnerRow): PartnerRecord {
  return {
    name: row.name,
    kind: row.kind,
    purposes: JSON.parse(row.purposes) as Purpose[],
    createdAt: row.created_at,
  };
}
