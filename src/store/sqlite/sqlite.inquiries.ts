import type Database from "better-sqlite3";
import type { Disclosure, Purpose } from "../../core/purpose.js";
import type { Instant } from "../../core/time.js";
import type {
  InquiryInput,
  InquiryPage,
  InquiryPageRequest,
  InquiryRecord,
} from "../access.store.js";
import { checkInquiryPageRequest, inquiryPageOf } from "../inquiries.shared.js";
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

const inquiryColumns = "id, partner, purpose, disclosure, allowed, refusal, disclosed, at";

/** Charter items 3 and 5: every access to a subject's data, allowed or refused, for them to see. */
export class InquiryLog {
  private readonly insert;
  private readonly selectNewest;
  private readonly selectAfter;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
  ) {
    this.insert = database.prepare<InquiryInsert>(
      `INSERT INTO inquiries (subject_id, partner, purpose, disclosure, allowed, refusal,
         disclosed, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // `inquiries_by_subject` is (subject_id, at) and, as in every SQLite index, the rowid (`id`)
    // last: both pages are one range of it, in its order, with no sort.
    this.selectNewest = database.prepare<[subjectId: number, rows: number], InquiryRow>(
      `SELECT ${inquiryColumns} FROM inquiries
       WHERE subject_id = ? ORDER BY at DESC, id DESC LIMIT ?`,
    );
    this.selectAfter = database.prepare<
      [subjectId: number, at: Instant, id: number, rows: number],
      InquiryRow
    >(
      `SELECT ${inquiryColumns} FROM inquiries
       WHERE subject_id = ? AND (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?`,
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

  /** One page, newest first: see `AccessStore.inquiries`. */
  inquiries(subjectId: string, page: InquiryPageRequest): InquiryPage {
    checkInquiryPageRequest(page);
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) return { inquiries: [], next: undefined };
    const { after, limit } = page;
    // One row more than the page: it tells whether another page follows.
    const read = after
      ? this.selectAfter.all(internalId, after.at, after.id, limit + 1)
      : this.selectNewest.all(internalId, limit + 1);
    return inquiryPageOf(
      read.map((row) => toInquiryRecord(subjectId, row)),
      limit,
    );
  }
}

function toInquiryRecord(subjectId: string, row: InquiryRow): InquiryRecord {
  return {
    id: row.id,
    subjectId,
    partner: row.partner,
    purpose: row.purpose,
    disclosure: row.disclosure,
    allowed: row.allowed === 1,
    refusal: row.refusal ?? undefined,
    disclosed: JSON.parse(row.disclosed) as InquiryRecord["disclosed"],
    at: row.at,
  };
}
