import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

/** A line longer than this is refused whole and never buffered past the limit. */
export const lineBytesMaxDefault = 65_536;

export type NdjsonLine =
  | Readonly<{ lineNumber: number; text: string }>
  | Readonly<{ lineNumber: number; tooLarge: true; bytes: number }>
  | Readonly<{ lineNumber: number; invalidUtf8: true; bytes: number }>;

export type NdjsonReaderOptions = Readonly<{ lineBytesMax?: number }>;

const newline = 0x0a;
const carriageReturn = 0x0d;
const byteOrderMark = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The non-blank lines of a byte stream, numbered from 1 as an editor counts them. Memory stays
 * bounded by one chunk plus `lineBytesMax`: a longer line is counted, not kept, up to its newline.
 * Accepts LF and CRLF endings, a missing final newline and a UTF-8 byte order mark.
 */
export async function* readNdjsonLines(
  input: Readable | AsyncIterable<Buffer | string>,
  { lineBytesMax = lineBytesMaxDefault }: NdjsonReaderOptions = {},
): AsyncGenerator<NdjsonLine> {
  if (!(Number.isInteger(lineBytesMax) && lineBytesMax > 0)) {
    throw new Error(`lineBytesMax must be a positive integer, not ${lineBytesMax}`);
  }
  const line = new LineAccumulator(lineBytesMax);
  let lineNumber = 1;
  for await (const chunkOrText of input) {
    const chunk = typeof chunkOrText === "string" ? Buffer.from(chunkOrText) : chunkOrText;
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(newline, start);
      if (end < 0) {
        line.append(chunk.subarray(start));
        break;
      }
      line.append(chunk.subarray(start, end));
      const finished = line.finish(lineNumber);
      if (finished) yield finished;
      lineNumber++;
      start = end + 1;
    }
  }
  const last = line.finish(lineNumber);
  if (last) yield last;
}

/** The bytes of the current line, kept only while the line stays under the limit. */
class LineAccumulator {
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly bytesMax: number) {}

  append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.bytes += piece.length;
    // One byte of slack: a CR before the newline does not belong to the line.
    if (this.bytes <= this.bytesMax + 1) this.pieces.push(piece);
    else this.pieces = [];
  }

  /** The line ending here, or undefined when it is blank. Resets for the next line. */
  finish(lineNumber: number): NdjsonLine | undefined {
    const pieces = this.pieces;
    let bytes = this.bytes;
    this.pieces = [];
    this.bytes = 0;
    if (bytes === 0) return undefined;
    let content = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    if (content.length === bytes && content[bytes - 1] === carriageReturn) {
      content = content.subarray(0, bytes - 1);
      bytes--;
    }
    if (bytes > this.bytesMax) return { lineNumber, tooLarge: true, bytes };
    if (lineNumber === 1 && content.subarray(0, 3).equals(byteOrderMark)) {
      content = content.subarray(3);
    }
    if (!isUtf8(content)) return { lineNumber, invalidUtf8: true, bytes };
    const text = content.toString("utf8");
    if (text.trim() === "") return undefined;
    return { lineNumber, text };
  }
}
