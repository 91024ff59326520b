/** The columns of a segment, as views on its BLOB (see sqlite.history.segment.ts). */
export type SegmentView = Readonly<{
  subjectCount: number;
  eventCount: number;
  /** Ascending internal ids. */
  subjectIds: Int32Array;
  /** `subjectCount + 1` places: where each subject's events start. */
  offsets: Int32Array;
  /** Index into `regions` (base segments); empty names for recent segments. */
  regionIndex: Uint16Array;
  regions: readonly string[];
  occurredAt: Float64Array;
  lineCodes: Uint16Array | Uint32Array;
  /**
   * The few events that differ from the common case (an effective time other than the
   * occurrence time, or a confidence), ascending, with those two values (the occurrence time and
   * NaN where they do not differ).
   */
  extraEvents: Int32Array;
  extraEffectiveAt: Float64Array;
  extraConfidence: Float64Array;
  /** Per line: the type, points, expiry delay and status byte its entries share. */
  lineTypeId: Int32Array;
  linePoints: Int32Array;
  lineExpiresAfter: Float64Array;
  lineStatus: Uint8Array;
}>;

export type LayoutCounts = Readonly<{
  subjectCount: number;
  eventCount: number;
  extraCount: number;
  lineCount: number;
  /** 2, or 4 for a segment of more than 65,536 distinct lines. */
  lineCodeBytes: number;
  regionsBytes: number;
}>;

type SectionName =
  | "occurredAt"
  | "extraEffectiveAt"
  | "extraConfidence"
  | "lineExpiresAfter"
  | "subjectIds"
  | "offsets"
  | "extraEvents"
  | "lineTypeId"
  | "linePoints"
  | "lineCodes"
  | "regionIndex"
  | "lineStatus"
  | "regions";

export type Layout = LayoutCounts & Readonly<Record<SectionName, number> & { bytes: number }>;

const magic = 0x31534843; // "CHS1"
const headerWords = 16;
const headerBytes = headerWords * 4;

/** Byte offsets of the sections after the header, each 8-byte aligned, the widest first. */
export function layoutOf(counts: LayoutCounts): Layout {
  if (counts.lineCodeBytes !== 2 && counts.lineCodeBytes !== 4) {
    throw new Error("a history segment has an unknown line code width");
  }
  const sizes: [SectionName, number][] = [
    ["occurredAt", counts.eventCount * 8],
    ["extraEffectiveAt", counts.extraCount * 8],
    ["extraConfidence", counts.extraCount * 8],
    ["lineExpiresAfter", counts.lineCount * 8],
    ["subjectIds", counts.subjectCount * 4],
    ["offsets", (counts.subjectCount + 1) * 4],
    ["extraEvents", counts.extraCount * 4],
    ["lineTypeId", counts.lineCount * 4],
    ["linePoints", counts.lineCount * 4],
    ["lineCodes", counts.eventCount * counts.lineCodeBytes],
    ["regionIndex", counts.subjectCount * 2],
    ["lineStatus", counts.lineCount],
    ["regions", counts.regionsBytes],
  ];
  const layout: Record<string, number> = { ...counts };
  let at = headerBytes;
  for (const [name, bytes] of sizes) {
    layout[name] = at;
    at += Math.ceil(bytes / 8) * 8;
  }
  layout.bytes = at;
  return layout as Layout;
}

/** A zeroed BLOB for a segment of these counts, its header written. */
export function allocateSegment(counts: LayoutCounts): { columns: Buffer; layout: Layout } {
  const layout = layoutOf(counts);
  const columns = Buffer.alloc(layout.bytes);
  new Uint32Array(columns.buffer, columns.byteOffset, headerWords).set([
    magic,
    counts.subjectCount,
    counts.eventCount,
    counts.extraCount,
    counts.lineCount,
    counts.lineCodeBytes,
    counts.regionsBytes,
  ]);
  return { columns, layout };
}

/** The layout a segment's header describes, checked against the BLOB's length. */
export function readLayout(columns: Uint8Array): Layout {
  if (columns.length < headerBytes) throw new Error("a history segment is shorter than its header");
  const header = new Uint32Array(columns.buffer, columns.byteOffset, headerWords);
  if (header[0] !== magic) throw new Error("a history segment has an unknown format");
  const layout = layoutOf({
    subjectCount: header[1] as number,
    eventCount: header[2] as number,
    extraCount: header[3] as number,
    lineCount: header[4] as number,
    lineCodeBytes: header[5] as number,
    regionsBytes: header[6] as number,
  });
  if (layout.bytes !== columns.length) throw new Error("a history segment has the wrong length");
  return layout;
}

/** One object shape for every view: the replay's hot loops see a single map. */
export function viewOf(
  columns: Uint8Array,
  layout: Layout,
  regions: readonly string[],
): SegmentView {
  const { buffer, byteOffset } = columns;
  const { subjectCount, eventCount, extraCount, lineCount } = layout;
  return {
    subjectCount,
    eventCount,
    occurredAt: new Float64Array(buffer, byteOffset + layout.occurredAt, eventCount),
    extraEvents: new Int32Array(buffer, byteOffset + layout.extraEvents, extraCount),
    extraEffectiveAt: new Float64Array(buffer, byteOffset + layout.extraEffectiveAt, extraCount),
    extraConfidence: new Float64Array(buffer, byteOffset + layout.extraConfidence, extraCount),
    lineExpiresAfter: new Float64Array(buffer, byteOffset + layout.lineExpiresAfter, lineCount),
    subjectIds: new Int32Array(buffer, byteOffset + layout.subjectIds, subjectCount),
    offsets: new Int32Array(buffer, byteOffset + layout.offsets, subjectCount + 1),
    lineTypeId: new Int32Array(buffer, byteOffset + layout.lineTypeId, lineCount),
    linePoints: new Int32Array(buffer, byteOffset + layout.linePoints, lineCount),
    lineCodes:
      layout.lineCodeBytes === 2
        ? new Uint16Array(buffer, byteOffset + layout.lineCodes, eventCount)
        : new Uint32Array(buffer, byteOffset + layout.lineCodes, eventCount),
    regionIndex: new Uint16Array(buffer, byteOffset + layout.regionIndex, subjectCount),
    lineStatus: new Uint8Array(buffer, byteOffset + layout.lineStatus, lineCount),
    regions,
  };
}
