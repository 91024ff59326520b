import type Database from "better-sqlite3";
import type { SourceKind, SourceProfile } from "../../core/source.js";
import type { Instant } from "../../core/time.js";
import { checkSource } from "../checks.js";
import type { SourceInput } from "../store.js";

type SourceRow = { id: number; name: string; kind: SourceKind; allowed_types: string };

export class SourceRegistry {
  private readonly selectByName;
  private readonly selectAll;
  private readonly insert;
  private readonly countAll;

  constructor(database: Database.Database) {
    this.selectByName = database.prepare<[string], SourceRow>(
      "SELECT id, name, kind, allowed_types FROM sources WHERE name = ?",
    );
    this.selectAll = database.prepare<[], SourceRow>(
      "SELECT id, name, kind, allowed_types FROM sources ORDER BY id",
    );
    this.countAll = database.prepare<[], number>("SELECT count(*) FROM sources").pluck();
    this.insert = database.prepare<[string, SourceKind, string, Instant]>(
      `INSERT INTO sources (name, kind, allowed_types, added_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO NOTHING`,
    );
  }

  source(name: string): SourceProfile | undefined {
    const row = this.selectByName.get(name);
    return row && toProfile(row);
  }

  sources(): SourceProfile[] {
    return this.selectAll.all().map(toProfile);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  add(input: SourceInput, at: Instant): SourceProfile | { refused: string } {
    const problem = checkSource(input);
    if (problem) return { refused: problem };
    const inserted = this.insert.run(
      input.name,
      input.kind,
      JSON.stringify(input.allowedTypes),
      at,
    );
    if (inserted.changes === 0) return { refused: `a source named '${input.name}' already exists` };
    return {
      id: Number(inserted.lastInsertRowid),
      name: input.name,
      kind: input.kind,
      allowedTypes: [...input.allowedTypes],
    };
  }
}

function toProfile(row: SourceRow): SourceProfile {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    allowedTypes: JSON.parse(row.allowed_types) as string[],
  };
}
