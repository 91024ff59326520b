import type { AuditInput, AuditRecord } from "../access.store.js";
import { checkPageLimit } from "../paging.js";
import { auditNameLengthMax } from "../sqlite/sqlite.audit.js";
import { rows, type Sql } from "./postgres.connection.js";

type AuditRow = {
  id: number;
  actor: string;
  action: string;
  target: string;
  at: number;
  details: Record<string, unknown>;
};

/** The append-only log of admin actions (charter item 9: every change names who made it). */
export class AuditLog {
  async append(sql: Sql, input: AuditInput): Promise<void> {
    for (const [field, value] of [
      ["actor", input.actor],
      ["action", input.action],
      ["target", input.target],
    ] as const) {
      if (value.trim().length === 0 || value.length > auditNameLengthMax) {
        throw new Error(
          `an audit record's ${field} must have 1 to ${auditNameLengthMax} characters`,
        );
      }
    }
    if (!Number.isFinite(input.at)) throw new Error(`invalid audit time ${input.at}`);
    const { actor, action, target, at, details } = input;
    await sql.query(
      "INSERT INTO audit_log (actor, action, target, at, details) VALUES ($1, $2, $3, $4, $5)",
      [actor, action, target, at, JSON.stringify(details)],
    );
  }

  /** Newest first, in the order the records were appended. */
  async newest(sql: Sql, limit: number): Promise<AuditRecord[]> {
    checkPageLimit(limit);
    const found = await rows<AuditRow>(
      sql,
      "SELECT id, actor, action, target, at, details FROM audit_log ORDER BY id DESC LIMIT $1",
      [limit],
    );
    return found.map((record) => ({ ...record }));
  }
}
