import type Database from "better-sqlite3";
import { storedStatuses } from "../../core/entry.js";
import { allocateRaw, type RawEvents } from "./sqlite.history.raw.js";

/**
 * One packed entry, 34 bytes, big endian as printf writes hex: id (7 bytes), subject (4), the
 * occurrence, effective and expiry times (6 each), type id (2), points (2) and a status byte
 * (stored status, initial status, whether a confidence exists). A value out of a field's range
 * prints more digits, which the length check catches.
 */
export const packedEntryBytes = 34;
/** Added to times so that any time within 4,000 years of 1970 is positive. */
const timeOffset = 2 ** 47;
const pointsOffset = 32_768;
const initialFactor = 8;
const confidenceFactor = 64;

const statusCode = (column: string) =>
  `(CASE ${column} ${storedStatuses.map((status, code) => `WHEN '${status}' THEN ${code}`).join(" ")} END)`;

/**
 * better-sqlite3 builds a JavaScript array for every row, which costs far more than SQLite's own
 * scan. So SQLite packs each statement's rows into one blob in C (printf to fixed-width hex,
 * then unhex), and the reader decodes the blob from bytes. Confidences (few entries have one)
 * come from a second statement over the same rows, exact as stored.
 */
function packedSelect(where: string): string {
  return `
  SELECT count(*) AS events, unhex(group_concat(printf('%014X%08X%012X%012X%012X%04X%04X%02X',
      id, subject_id, occurred_at + ${timeOffset}, effective_at + ${timeOffset},
      expires_at + ${timeOffset}, type_id, points + ${pointsOffset},
      ${statusCode("status")} + ${initialFactor} * ${statusCode("initial_status")}
        + ${confidenceFactor} * (confidence IS NOT NULL)
    ), '')) AS packed
  FROM entries WHERE ${where}`;
}

// `+subject_id`: the rowid range drives the scan (the table's own order, no index lookups).
const byIdRange = "id > @after AND id <= @until";
const byIdRangeOfSubjects = `${byIdRange} AND +subject_id >= @firstSubject AND +subject_id < @endSubject`;
const byIds = "id IN (SELECT value FROM json_each(@ids))";

type PackedRow = { events: number; packed: Buffer | null };
type ConfidenceRow = { id: number; confidence: number };
type SubjectGroupRow = { region: string; subjects: number; packed: Buffer };

export type IdRange = Readonly<{ after: number; until: number }>;
export type SubjectRange = Readonly<{ firstSubject: number; endSubject: number }>;

/** The subjects of a range in id order, each with its region. */
export type SubjectRows = Readonly<{ ids: Int32Array; regions: readonly string[] }>;

/** Row-wise reads of entries and subjects, each statement packed into one blob. */
export class HistoryRows {
  private readonly statements;

  constructor(database: Database.Database) {
    const packed = (where: string) =>
      database.prepare<Record<string, number | string>, PackedRow>(packedSelect(where));
    const confidences = (where: string) =>
      database.prepare<Record<string, number | string>, ConfidenceRow>(
        `SELECT id, confidence FROM entries WHERE ${where} AND confidence IS NOT NULL`,
      );
    this.statements = {
      byIdRange: [packed(byIdRange), confidences(byIdRange)],
      byIdRangeOfSubjects: [packed(byIdRangeOfSubjects), confidences(byIdRangeOfSubjects)],
      byIds: [packed(byIds), confidences(byIds)],
      subjects: database.prepare<SubjectRange, SubjectGroupRow>(`
        SELECT region, count(*) AS subjects,
          unhex(group_concat(printf('%08X', internal_id - @firstSubject), '')) AS packed
        FROM subjects WHERE internal_id >= @firstSubject AND internal_id < @endSubject
        GROUP BY region ORDER BY region`),
    } as const;
  }

  /** Entries with ids in (after, until]. */
  idRange(range: IdRange): RawEvents {
    return this.read("byIdRange", range);
  }

  /** Entries with ids in (after, until] of subjects in [firstSubject, endSubject). */
  idRangeOfSubjects(range: IdRange & SubjectRange): RawEvents {
    return this.read("byIdRangeOfSubjects", range);
  }

  /** The entries with these ids that exist. */
  ids(ids: readonly number[]): RawEvents {
    return this.read("byIds", { ids: JSON.stringify(ids) });
  }

  /** The range should be no wider than the subjects that can exist (it sizes a lookup). */
  subjects(range: SubjectRange): SubjectRows {
    const { firstSubject, endSubject } = range;
    const names: string[] = [];
    const regionOfOffset = new Int32Array(Math.max(0, endSubject - firstSubject)).fill(-1);
    let count = 0;
    for (const group of this.statements.subjects.all(range)) {
      if (group.packed.length !== group.subjects * 4) throw new Error("subject ids out of range");
      for (let byte = 0; byte < group.packed.length; byte += 4) {
        regionOfOffset[group.packed.readUInt32BE(byte)] = names.length;
      }
      names.push(group.region);
      count += group.subjects;
    }
    const ids = new Int32Array(count);
    const regions: string[] = [];
    regionOfOffset.forEach((region, offset) => {
      if (region < 0) return;
      ids[regions.length] = firstSubject + offset;
      regions.push(names[region] as string);
    });
    return { ids, regions };
  }

  private read(
    kind: "byIdRange" | "byIdRangeOfSubjects" | "byIds",
    parameters: Record<string, number | string>,
  ): RawEvents {
    const [packed, confidences] = this.statements[kind];
    const row = packed.get(parameters);
    if (!row?.packed || row.events === 0) return allocateRaw(0);
    if (row.packed.length !== row.events * packedEntryBytes) {
      throw new Error("stored entries do not fit the history packing (a value out of range)");
    }
    const raw = decodePacked(row.packed, row.events);
    const confidenceOf = new Map<number, number>();
    for (const { id, confidence } of confidences.all(parameters)) confidenceOf.set(id, confidence);
    for (let event = 0; event < raw.length; event++) {
      if (Number.isNaN(raw.confidence[event])) continue;
      const confidence = confidenceOf.get(raw.entryId[event] as number);
      if (confidence === undefined) throw new Error("an entry's confidence went missing");
      raw.confidence[event] = confidence;
    }
    return raw;
  }
}

/** Decodes packed entries; `confidence` is 0 where one exists (filled in after), NaN where not. */
function decodePacked(bytes: Uint8Array, count: number): RawEvents {
  const raw = allocateRaw(count);
  for (let event = 0; event < count; event++) {
    const at = event * packedEntryBytes;
    raw.entryId[event] = uint24(bytes, at) * 2 ** 32 + uint32(bytes, at + 3);
    raw.subjectId[event] = uint32(bytes, at + 7);
    raw.occurredAt[event] = time(bytes, at + 11);
    raw.effectiveAt[event] = time(bytes, at + 17);
    raw.expiresAt[event] = time(bytes, at + 23);
    raw.typeId[event] = ((bytes[at + 29] as number) << 8) | (bytes[at + 30] as number);
    raw.points[event] =
      (((bytes[at + 31] as number) << 8) | (bytes[at + 32] as number)) - pointsOffset;
    const status = bytes[at + 33] as number;
    raw.status[event] = status % initialFactor;
    raw.initialStatus[event] = Math.floor((status % confidenceFactor) / initialFactor);
    raw.confidence[event] = status >= confidenceFactor ? 0 : NaN;
  }
  raw.length = count;
  return raw;
}

function time(bytes: Uint8Array, at: number): number {
  const high = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  return high * 2 ** 32 + uint32(bytes, at + 2) - timeOffset;
}

function uint24(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number)
  );
}

/** A big-endian unsigned 32-bit number. */
function uint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number)) >>>
    0
  );
}
