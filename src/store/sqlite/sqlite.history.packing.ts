import { storedStatuses } from "../../core/entry.js";
import { type HistoryChunk, standingBits } from "../../core/history.js";
import { allocateEvents } from "../history.columns.js";

/**
 * One packed event, 16 bytes (four aligned 32-bit words): the subject's offset in its id range
 * (4 bytes), the occurrence time (7), and the live points, type id and standing (5), each big
 * endian as printf writes hex.
 */
export const packedEventBytes = 16;
/** Added to occurrence times so that any time within 4,000 years of 1970 is positive. */
const timeOffset = 2 ** 47;
const livePointsOffset = 32_768;
/** The type id and the standing code share the low 21 bits of the last field. */
export const typeIdLimit = 2 ** 16;
const typeShift = 32;
const pointsShift = 2 ** 21;

const standingSql = `(CASE status ${storedStatuses.map((status, code) => `WHEN '${status}' THEN ${code}`).join(" ")} END
  + ${standingBits.confirmed} * (initial_status = 'pending_review' AND status = 'effective')
  + ${standingBits.lowConfidence} * coalesce(confidence < @confidenceMin, 0))`;
const livePointsSql = `(CASE WHEN status = 'effective' AND effective_at <= @at AND @at < expires_at
  THEN points ELSE 0 END)`;

/**
 * better-sqlite3 builds a JavaScript array for every row, which costs far more than SQLite's own
 * scan. So SQLite packs each statement's rows into one blob in C (printf to fixed-width hex,
 * then unhex), and the reader decodes the blob from bytes. The entries are scanned in id order
 * (the table's own order: no lookups from an index), then grouped by subject in memory. A rowid
 * range is scanned in ascending id order, which keeps equal times in recording order.
 */
export const selectPackedEvents = `
  SELECT count(*) AS events, unhex(group_concat(printf('%08X%014X%010X',
      subject_id - @firstSubject,
      occurred_at + ${timeOffset},
      (${livePointsSql} + ${livePointsOffset}) * ${pointsShift} + type_id * ${typeShift} + ${standingSql}
    ), '')) AS packed
  FROM entries
  WHERE id > @after AND id <= @until AND subject_id >= @firstSubject AND subject_id < @endSubject`;

/**
 * Packed events in subject order, filled in three steps that each touch memory in a cache-
 * friendly way: count per subject (rewriting each record's subject offset to its position), copy
 * each 16-byte record to its subject's next place (one random write an event instead of one per
 * column), then decode the grouped records into columns front to back.
 */
export class PackedEvents {
  private readonly blobs: Uint32Array[] = [];
  private readonly counts: Int32Array;

  constructor(
    private readonly positionOf: Int32Array,
    private readonly subjectCount: number,
  ) {
    this.counts = new Int32Array(subjectCount + 1);
  }

  add(packed: Buffer): void {
    // Four-byte aligned words for the copies; a blob at an odd place in memory is copied once.
    const aligned = packed.byteOffset % 4 === 0 ? packed : Buffer.from(Uint8Array.from(packed));
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
    for (let word = 0; word < words.length; word += 4) {
      const offset = readUint32(aligned, word * 4);
      const position = this.positionOf[offset];
      if (position === undefined || position < 0) {
        throw new Error(`an entry names subject offset ${offset}, which is not enrolled`);
      }
      words[word] = position;
      this.counts[position + 1] = (this.counts[position + 1] as number) + 1;
    }
    this.blobs.push(words);
  }

  /** Every event added, grouped by subject, each subject's in the order they were added. */
  columns(typeIndexOfId: Int32Array): { offsets: Int32Array; events: HistoryChunk["events"] } {
    const offsets = new Int32Array(this.subjectCount + 1);
    for (let subject = 0; subject < this.subjectCount; subject++) {
      offsets[subject + 1] = (offsets[subject] as number) + (this.counts[subject + 1] as number);
    }
    const eventCount = offsets[this.subjectCount] as number;
    const grouped = new Uint32Array(eventCount * 4);
    const next = offsets.slice(0, this.subjectCount);
    for (let blob = 0; blob < this.blobs.length; blob++) {
      const words = this.blobs[blob] as Uint32Array;
      for (let word = 0; word < words.length; word += 4) {
        const position = words[word] as number;
        const place = (next[position] as number) * 4;
        next[position] = (next[position] as number) + 1;
        grouped[place] = position;
        grouped[place + 1] = words[word + 1] as number;
        grouped[place + 2] = words[word + 2] as number;
        grouped[place + 3] = words[word + 3] as number;
      }
      this.blobs[blob] = new Uint32Array(0);
    }
    return { offsets, events: decode(grouped, eventCount, typeIndexOfId) };
  }
}

function decode(grouped: Uint32Array, eventCount: number, typeIndexOfId: Int32Array) {
  const events = allocateEvents(eventCount);
  const bytes = new Uint8Array(grouped.buffer, grouped.byteOffset, grouped.byteLength);
  for (let event = 0; event < eventCount; event++) {
    const byte = event * packedEventBytes;
    const timeHigh =
      ((bytes[byte + 4] as number) << 16) |
      ((bytes[byte + 5] as number) << 8) |
      (bytes[byte + 6] as number);
    const low = readUint32(bytes, byte + 12);
    const typeAndStanding = low % pointsShift;
    const typeId = Math.floor(typeAndStanding / typeShift);
    const typeIndex = typeIndexOfId[typeId];
    if (typeIndex === undefined || typeIndex < 0) throw new Error(`unknown event type ${typeId}`);
    const livePoints =
      (bytes[byte + 11] as number) * 2 ** 11 + Math.floor(low / pointsShift) - livePointsOffset;
    if (livePoints < -livePointsOffset || livePoints >= livePointsOffset) {
      throw new Error(`an entry has ${livePoints} points: too many to pack`);
    }
    events.subjectIndex[event] = grouped[event * 4] as number;
    events.occurredAt[event] = timeHigh * 2 ** 32 + readUint32(bytes, byte + 7) - timeOffset;
    events.typeIndex[event] = typeIndex;
    events.standing[event] = typeAndStanding % typeShift;
    events.livePoints[event] = livePoints;
  }
  return events;
}

/** A big-endian unsigned 32-bit number. */
function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number)) >>>
    0
  );
}
