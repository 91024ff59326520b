import type Database from "better-sqlite3";
import { type Purpose, purposes } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { ConsentInput, ConsentRecord } from "../access.store.js";
import type { SubjectDirectory } from "./sqlite.subjects.js";

type ConsentRow = {
  id: number;
  partner: string;
  purpose: Purpose;
  granted_at: number;
  until: number;
  revoked_at: number | null;
};

/**
 * Subjects' consents, one row per grant. A revocation is recorded, never deleted: the subject
 * and an auditor see what was allowed when. A subject has at most one live consent per partner
 * and purpose: a new grant ends the live one it replaces (revoked when the new one starts), so
 * that revoking the consent the subject sees always ends the partner's access.
 */
export class ConsentBook {
  private readonly selectBySubject;
  private readonly insert;
  private readonly revoke;
  private readonly supersede;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
  ) {
    this.selectBySubject = database.prepare<[number], ConsentRow>(
      `SELECT id, partner, purpose, granted_at, until, revoked_at FROM consents
       WHERE subject_id = ? ORDER BY granted_at DESC, id DESC`,
    );
    this.insert = database.prepare<[number, string, Purpose, Instant, Instant]>(
      `INSERT INTO consents (subject_id, partner, purpose, granted_at, until)
       VALUES (?, ?, ?, ?, ?)`,
    );
    // The subject is in the WHERE: a subject can revoke only their own consents, and only a
    // live one (an expired consent stays expired).
    this.revoke = database.prepare<[Instant, number, number, Instant]>(
      `UPDATE consents SET revoked_at = ?
       WHERE id = ? AND subject_id = ? AND revoked_at IS NULL AND until > ?`,
    );
    this.supersede = database.prepare<[Instant, number, string, Purpose, Instant]>(
      `UPDATE consents SET revoked_at = ?
       WHERE subject_id = ? AND partner = ? AND purpose = ? AND revoked_at IS NULL AND until > ?`,
    );
  }

  /**
   * The consent service checks the partner, its purposes and the dates first; what reaches the
   * store unchecked (an unknown subject or partner, an empty period) is a programmer error. Ends
   * the live consent of the same partner and purpose, if any; the caller's transaction makes
   * both one change.
   */
  grant(subjectId: string, input: ConsentInput, at: Instant): ConsentRecord {
    if (!(purposes as readonly string[]).includes(input.purpose)) {
      throw new Error(`unknown purpose '${input.purpose}'`);
    }
    if (!Number.isFinite(at) || !Number.isFinite(input.until) || input.until <= at) {
      throw new Error(`a consent granted at ${at} must last until later, not ${input.until}`);
    }
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) throw new Error(`no subject '${subjectId}'`);
    this.supersede.run(at, internalId, input.partner, input.purpose, at);
    const inserted = this.insert.run(internalId, input.partner, input.purpose, at, input.until);
    return {
      id: Number(inserted.lastInsertRowid),
      partner: input.partner,
      purpose: input.purpose,
      grantedAt: at,
      until: input.until,
      revokedAt: undefined,
    };
  }

  revokeAt(subjectId: string, consentId: number, at: Instant): boolean {
    if (!Number.isFinite(at)) throw new Error(`cannot revoke a consent at ${at}`);
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) return false;
    return this.revoke.run(at, consentId, internalId, at).changes === 1;
  }

  consents(subjectId: string): ConsentRecord[] {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) return [];
    return this.selectBySubject.all(internalId).map((row) => ({
      id: row.id,
      partner: row.partner,
      purpose: row.purpose,
      grantedAt: row.granted_at,
      until: row.until,
      revokedAt: row.revoked_at ?? undefined,
    }));
  }
}
