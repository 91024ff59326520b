import type { PartnerKind, Purpose } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { PartnerInput, PartnerRecord } from "../access.store.js";
import { checkPartner } from "../checks.js";
import { row, rows, type Sql } from "./postgres.connection.js";

type PartnerRow = { name: string; kind: PartnerKind; purposes: Purpose[]; created_at: number };

const columns = "name, kind, purposes, created_at";

/** The partners that query scores, each with the purposes it declared. */
export class PartnerRegistry {
  /** One statement: of two partners added at once with one name, the second is refused. */
  async add(
    sql: Sql,
    input: PartnerInput,
    at: Instant,
  ): Promise<PartnerRecord | { refused: string }> {
    const problem = checkPartner(input);
    if (problem) return { refused: problem };
    const inserted = await sql.query(
      `INSERT INTO partners (name, kind, purposes, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING`,
      [input.name, input.kind, input.purposes, at],
    );
    if (inserted.rowCount === 0) {
      return { refused: `a partner named '${input.name}' already exists` };
    }
    return { name: input.name, kind: input.kind, purposes: [...input.purposes], createdAt: at };
  }

  async partner(sql: Sql, name: string): Promise<PartnerRecord | undefined> {
    const found = await row<PartnerRow>(sql, `SELECT ${columns} FROM partners WHERE name = $1`, [
      name,
    ]);
    return found && toRecord(found);
  }

  async partners(sql: Sql): Promise<PartnerRecord[]> {
    return (await rows<PartnerRow>(sql, `SELECT ${columns} FROM partners ORDER BY id`)).map(
      toRecord,
    );
  }
}

function toRecord(found: PartnerRow): PartnerRecord {
  return {
    name: found.name,
    kind: found.kind,
    purposes: found.purposes,
    createdAt: found.created_at,
  };
}
