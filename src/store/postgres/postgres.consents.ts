import { type Purpose, purposes } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { ConsentInput, ConsentRecord } from "../access.store.js";
import { row, rows, type Sql } from "./postgres.connection.js";
import type { SubjectDirectory } from "./postgres.subjects.js";

export type ConsentRow = {
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
  constructor(private readonly subjects: SubjectDirectory) {}

  /**
   * The consent service checks the partner, its purposes and the dates first; what reaches the
   * store unchecked (an unknown subject or partner, an empty period) is a programmer error. Ends
   * the live consent of the same partner and purpose, if any, in the caller's transaction; the
   * subject's row is locked first, so that two grants at once cannot both stay live.
   */
  async grant(
    sql: Sql,
    subjectId: string,
    input: ConsentInput,
    at: Instant,
  ): Promise<ConsentRecord> {
    if (!(purposes as readonly string[]).includes(input.purpose)) {
      throw new Error(`unknown purpose '${input.purpose}'`);
    }
    if (!Number.isFinite(at) || !Number.isFinite(input.until) || input.until <= at) {
      throw new Error(`a consent granted at ${at} must last until later, not ${input.until}`);
    }
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) throw new Error(`no subject '${subjectId}'`);
    await sql.query("SELECT 1 FROM subjects WHERE subject_id = $1 FOR UPDATE", [internalId]);
    await sql.query(
      `UPDATE consents SET revoked_at = $1
       WHERE subject_id = $2 AND partner = $3 AND purpose = $4 AND revoked_at IS NULL
         AND until > $1`,
      [at, internalId, input.partner, input.purpose],
    );
    const inserted = await row<{ id: number }>(
      sql,
      `INSERT INTO consents (subject_id, partner, purpose, granted_at, until)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [internalId, input.partner, input.purpose, at, input.until],
    );
    if (!inserted) throw new Error("the consent was not stored");
    return {
      id: inserted.id,
      partner: input.partner,
      purpose: input.purpose,
      grantedAt: at,
      until: input.until,
      revokedAt: undefined,
    };
  }

  /**
   * The subject is in the WHERE: a subject can revoke only their own consents, and only a live
   * one (an expired consent stays expired).
   */
  async revokeAt(sql: Sql, subjectId: string, consentId: number, at: Instant): Promise<boolean> {
    if (!Number.isFinite(at)) throw new Error(`cannot revoke a consent at ${at}`);
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) return false;
    const revoked = await sql.query(
      `UPDATE consents SET revoked_at = $1
       WHERE subject_id = $2 AND id = $3 AND revoked_at IS NULL AND until > $1`,
      [at, internalId, consentId],
    );
    return revoked.rowCount === 1;
  }

  /** Newest first, revoked ones included. */
  async consents(sql: Sql, subjectId: string): Promise<ConsentRecord[]> {
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) return [];
    const found = await rows<ConsentRow>(
      sql,
      `SELECT ${consentColumns} FROM consents
       WHERE subject_id = $1 ${consentOrder}`,
      [internalId],
    );
    return found.map(toConsentRecord);
  }
}

/** The columns of a `ConsentRow`. */
export const consentColumns = "id, partner, purpose, granted_at, until, revoked_at";

/** Newest first, as `consents` reads them: the order a subject's consents are shown in. */
export const consentOrder = "ORDER BY granted_at DESC, id DESC";

export function toConsentRecord(consent: ConsentRow): ConsentRecord {
  return {
    id: consent.id,
    partner: consent.partner,
    purpose: consent.purpose,
    grantedAt: consent.granted_at,
    until: consent.until,
    revokedAt: consent.revoked_at ?? undefined,
  };
}
