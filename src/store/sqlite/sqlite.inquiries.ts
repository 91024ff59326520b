import type Database from "better-sqlite3";
import type { Disclosure, Purpose } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type { InquiryInput, InquiryRecord } from "../access.store.js";
import type { SubjectDirectory } from "./sqlite.subjects.js";

type InquiryRow = {
  id: number;
  partner: string;
  purpose: Purpose;
  disclosure: Disclosure;
  allowed: 0 | 1;
  refusal: string | null;
  disclosed: string;
  at: number;
};

type InquiryInsert = [
  subjectId: number,
  partner: string,
  purpose: Purpose,
  disclosure: Disclosure,
  allowed: 0 | 1,
  refusal: string | null,
  disclosed: string,
  at: Instant,
];

/** Charter items 3 and 5: every access to a subject's data, allowed or refused, for them to see. */
export class InquiryLog {
  private readonly insert;
  private readonly selectBySubject;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
  ) {
    this.insert = database.prepare<InquiryInsert>(
      `INSERT INTO inquiries (subject_id, partner, purpose, disclosure, allowed, refusal,
         disclosed, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectBySubject = database.prepare<[number], InquiryRow>(
      `SELECT id, partner, purpose, disclosure, allowed, refusal, disclosed, at FROM inquiries
       WHERE subject_id = ? ORDER BY at DESC, id DESC`,
    );
  }

  /** A refusal names itself and discloses nothing; an allowed inquiry names no refusal. */
  record(input: InquiryInput): InquiryRecord {
    const refusalNamed = input.refusal !== undefined && input.refusal.length > 0;
    if (input.allowed === refusalNamed) {
      throw new Error("an inquiry is either allowed or refused with the refusal's name");
    }
    if (!input.allowed && Object.keys(input.disclosed).length > 0) {
      throw new Error("a refused inquiry discloses nothing");
    }
    if (!Number.isFinite(input.at)) throw new Error(`invalid inquiry time ${input.at}`);
    const internalId = this.subjects.resolve([input.subjectId]).get(input.subjectId);
    if (internalId === undefined) throw new Error(`no subject '${input.subjectId}'`);
    const inserted = this.insert.run(
      internalId,
      input.partner,
      input.purpose,
      input.disclosure,
      input.allowed ? 1 : 0,
      input.refusal ?? null,
      JSON.stringify(input.disclosed),
      input.at,
    );
    return { ...input, disclosed: { ...input.disclosed }, id: Number(inserted.lastInsertRowid) };
  }

  /** Newest first. */
  inquiries(subjectId: string): InquiryRecord[] {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) return [];
    return this.selectBySubject.all(internalId).map((row) => ({
      id: row.id,
      subjectId,
      partner: row.partner,
      purpose: row.purpose,
      disclosure: row.disclosure,
      allowed: row.allowed === 1,
      refusal: row.refusal ?? undefined,
      disclosed: JSON.parse(row.disclosed) as InquiryRecord["disclosed"],
      at: row.at,
    }));
  }
}
