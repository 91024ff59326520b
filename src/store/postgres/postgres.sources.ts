import type { SourceKind, SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
import { checkSource } from "../checks.js";
import type { SourceInput } from "../store.js";
import { row, rows, type Sql } from "./postgres.connection.js";

type SourceRow = { id: number; name: string; kind: SourceKind; allowed_types: string[] };

const columns = "id, name, kind, allowed_types";

export class SourceRegistry {
  async source(sql: Sql, name: string): Promise<SourceProfile | undefined> {
    const found = await row<SourceRow>(sql, `SELECT ${columns} FROM sources WHERE name = $1`, [
      name,
    ]);
    return found && toProfile(found);
  }

  async sources(sql: Sql): Promise<SourceProfile[]> {
    return (await rows<SourceRow>(sql, `SELECT ${columns} FROM sources ORDER BY id`)).map(
      toProfile,
    );
  }

  /** One statement: of two sources added at once with one name, the second is refused. */
  async add(
    sql: Sql,
    input: SourceInput,
    at: Instant,
  ): Promise<SourceProfile | { refused: string }> {
    const problem = checkSource(input);
    if (problem) return { refused: problem };
    const inserted = await row<SourceRow>(
      sql,
      `INSERT INTO sources (name, kind, allowed_types, added_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING RETURNING ${columns}`,
      [input.name, input.kind, input.allowedTypes, at],
    );
    if (!inserted) return { refused: `a source named '${input.name}' already exists` };
    return toProfile(inserted);
  }
}

function toProfile(found: SourceRow): SourceProfile {
  return {
    id: found.id,
    name: found.name,
    kind: found.kind,
    allowedTypes: found.allowed_types,
  };
}
