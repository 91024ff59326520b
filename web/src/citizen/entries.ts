import { citizenApi, type Schemas, unwrap } from "../api/client";

export type CitizenEntry = Schemas["CitizenEntry"];

/** Pages of 1,000 the app reads at most: a record longer than that is cut, and says so. */
export const entryPagesMax = 20;

/** Every entry of the signed-in citizen, newest first, following the API's pages. */
export async function loadAllEntries(): Promise<{ entries: CitizenEntry[]; complete: boolean }> {
  const entries: CitizenEntry[] = [];
  let after = 0;
  for (let page = 0; page < entryPagesMax; page++) {
    const answer = await unwrap(
      citizenApi.GET("/v1/me/entries", { params: { query: { after, limit: 1000 } } }),
    );
    entries.push(...answer.entries);
    if (answer.next === undefined) {
      return { entries: entries.sort(newestFirst), complete: true };
    }
    after = answer.next;
  }
  return { entries: entries.sort(newestFirst), complete: false };
}

function newestFirst(left: CitizenEntry, right: CitizenEntry): number {
  return Date.parse(right.occurredAt) - Date.parse(left.occurredAt) || right.id - left.id;
}
