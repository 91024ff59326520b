/** The most rows one page of a list (audit log, open appeals, pending reviews) may hold. */
export const pageRowsMax = 1_000;

/** A page limit outside [0, pageRowsMax] is a programmer error: the API bounds it at the edge. */
export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0 || limit > pageRowsMax) {
    throw new Error(`a page limit must be an integer in [0, ${pageRowsMax}], not ${limit}`);
  }
}
