import type { InquiryPage, InquiryPageRequest, InquiryRecord } from "./access.store.js";
import { checkPageLimit } from "./paging.js";

/**
 * What both adapters' inquiry logs share: how a page is asked for and answered. Both read one
 * row more than the page holds, to know whether another page follows without a second query.
 */

/** A page request outside its bounds is a programmer error: the API bounds it at the edge. */
export function checkInquiryPageRequest(page: InquiryPageRequest): void {
  checkPageLimit(page.limit);
  // A page of none would have no last inquiry to go on from.
  if (page.limit === 0) throw new Error("an inquiry page holds at least one inquiry");
  const { after } = page;
  if (after !== undefined && !(Number.isSafeInteger(after.at) && Number.isSafeInteger(after.id))) {
    throw new Error(`an inquiry position is two safe integers, not ${JSON.stringify(after)}`);
  }
}

/** A page from up to `limit + 1` inquiries read newest first: the extra one says more follow. */
export function inquiryPageOf(read: InquiryRecord[], limit: number): InquiryPage {
  if (read.length <= limit) return { inquiries: read, next: undefined };
  const inquiries = read.slice(0, limit);
  const last = inquiries.at(-1);
  if (!last) throw new Error("an inquiry page holds at least one inquiry");
  return { inquiries, next: { at: last.at, id: last.id } };
}
