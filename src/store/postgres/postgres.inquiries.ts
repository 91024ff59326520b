import type { Disclosure, Purpose } from "../../core/purpose.js";
import type {
  InquiryInput,
  InquiryPage,
  InquiryPageRequest,
  InquiryRecord,
} from "../access.store.js";
import { checkInquiryPageRequest, inquiryPageOf } from "../inquiries.shared.js";
import { row, rows, type Sql } from "./postgres.connection.js";
import type { SubjectDirectory } from "./postgres.subjects.js";

type InquiryRow = {
  id: number;
  partner: string;
  purpose: Purpose;
  disclosure: Disclosure;
  allowed: boolean;
  refusal: string | null;
  disclosed: InquiryRecord["disclosed"];
  at: number;
};

const inquiryColumns = "id, partner, purpose, disclosure, allowed, refusal, disclosed, at";

/** Charter items 3 and 5: every access to a subject's data, allowed or refused, for them to see. */
export class InquiryLog {
  constructor(private readonly subjects: SubjectDirectory) {}

  /** A refusal names itself and discloses nothing; an allowed inquiry names no refusal. */
  async record(sql: Sql, input: InquiryInput): Promise<InquiryRecord> {
    const refusalNamed = input.refusal !== undefined && input.refusal.length > 0;
    if (input.allowed === refusalNamed) {
      throw new Error("an inquiry is either allowed or refused with the refusal's name");
    }
    if (!input.allowed && Object.keys(input.disclosed).length > 0) {
      throw new Error("a refused inquiry discloses nothing");
    }
    if (!Number.isFinite(input.at)) throw new Error(`invalid inquiry time ${input.at}`);
    const internalId = (await this.subjects.resolve(sql, [input.subjectId])).get(input.subjectId);
    if (internalId === undefined) throw new Error(`no subject '${input.subjectId}'`);
    const inserted = await row<{ id: number }>(
      sql,
      `INSERT INTO inquiries (subject_id, partner, purpose, disclosure, allowed, refusal,
         disclosed, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        internalId,
        input.partner,
        input.purpose,
        input.disclosure,
        input.allowed,
        input.refusal ?? null,
        JSON.stringify(input.disclosed),
        input.at,
      ],
    );
    if (!inserted) throw new Error("the inquiry was not stored");
    return { ...input, disclosed: { ...input.disclosed }, id: inserted.id };
  }

  /**
   * One page, newest first: see `AccessStore.inquiries`. Both pages are one range of
   * `inquiries_by_subject` (subject_id, at, id), read in its order.
   */
  async inquiries(sql: Sql, subjectId: string, page: InquiryPageRequest): Promise<InquiryPage> {
    checkInquiryPageRequest(page);
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) return { inquiries: [], next: undefined };
    const { after, limit } = page;
    // One row more than the page: it tells whether another page follows.
    const found = after
      ? await rows<InquiryRow>(
          sql,
          `SELECT ${inquiryColumns} FROM inquiries
           WHERE subject_id = $1 AND (at, id) < ($2, $3) ORDER BY at DESC, id DESC LIMIT $4`,
          [internalId, after.at, after.id, limit + 1],
        )
      : await rows<InquiryRow>(
          sql,
          `SELECT ${inquiryColumns} FROM inquiries
           WHERE subject_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
          [internalId, limit + 1],
        );
    return inquiryPageOf(
      found.map((inquiry) => ({
        id: inquiry.id,
        subjectId,
        partner: inquiry.partner,
        purpose: inquiry.purpose,
        disclosure: inquiry.disclosure,
        allowed: inquiry.allowed,
        refusal: inquiry.refusal ?? undefined,
        disclosed: inquiry.disclosed,
        at: inquiry.at,
      })),
      limit,
    );
  }
}
