import type Database from "better-sqlite3";
import type { Instant } from "../../core/time.js";
import type { AuditInput, AuditRecord } from "../access.store.js";
import { checkPageLimit } from "../paging.js";

/** Longest actor, action and target of an audit record. */
export const auditNameLengthMax = 200;

type AuditRow = {
  id: number;
  actor: string;
  action: string;
  target: string;
  at: number;
  details: string;
};

/** The append-only log of admin actions (charter item 9: every change names who made it). */
export class AuditLog {
  private readonly insert;
  private readonly selectNewest;

  constructor(database: Database.Database) {
    this.insert = database.prepare<[string, string, string, Instant, string]>(
      "INSERT INTO audit_log (actor, action, target, at, details) VALUES (?, ?, ?, ?, ?)",
    );
    this.selectNewest = database.prepare<[number], AuditRow>(
      "SELECT id, actor, action, target, at, details FROM audit_log ORDER BY id DESC LIMIT ?",
    );
  }

  append(input: AuditInput): void {
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
    this.insert.run(actor, action, target, at, JSON.stringify(details));
  }

  /** Newest first, in the order the records were appended. */
  newest(limit: number): AuditRecord[] {
    checkPageLimit(limit);
    return this.selectNewest.all(limit).map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      target: row.target,
      at: row.at,
      details: JSON.parse(row.details) as Record<string, unknown>,
    }));
  }
}
