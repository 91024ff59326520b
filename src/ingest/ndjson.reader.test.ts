import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type NdjsonLine, readNdjsonLines } from "./ndjson.reader.js";

async function collect(
  chunks: readonly (Buffer | string)[],
  lineBytesMax?: number,
): Promise<NdjsonLine[]> {
  const lines: NdjsonLine[] = [];
  for await (const line of readNdjsonLines(Readable.from(chunks), { lineBytesMax })) {
    lines.push(line);
  }
  return lines;
}

describe("readNdjsonLines", () => {
  it("reads LF and CRLF lines and a last line without a newline", async () => {
    expect(await collect(['{"a":1}\r\n{"b":2}\n{"c":3}'])).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 2, text: '{"b":2}' },
      { lineNumber: 3, text: '{"c":3}' },
    ]);
  });

  it("skips blank lines but keeps counting them", async () => {
    expect(await collect(["\n  \r\n{}\n\n\t\n[]\n"])).toEqual([
      { lineNumber: 3, text: "{}" },
      { lineNumber: 6, text: "[]" },
    ]);
  });

  it("reads nothing from an empty file", async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect([""])).toEqual([]);
  });

  it("joins a line split across chunks, even inside a multi-byte character and a CRLF", async () => {
    const bytes = Buffer.from('{"name":"Zoë 🚦"}\r\n{"x":1}\n');
    const cuts = [5, 12, 13, 18, 19];
    const chunks = cuts.map((cut, index) => bytes.subarray(cuts[index - 1] ?? 0, cut));
    chunks.push(bytes.subarray(19));
    expect(await collect(chunks)).toEqual([
      { lineNumber: 1, text: '{"name":"Zoë 🚦"}' },
      { lineNumber: 2, text: '{"x":1}' },
    ]);
  });

  it("drops a UTF-8 byte order mark at the start", async () => {
    expect(await collect([Buffer.from([0xef, 0xbb, 0xbf]), "{}\n"])).toEqual([
      { lineNumber: 1, text: "{}" },
    ]);
  });

  it("reports invalid UTF-8 instead of guessing", async () => {
    const lines = await collect([Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), "{}\n"]);
    expect(lines).toEqual([
      { lineNumber: 1, invalidUtf8: true, bytes: 3 },
      { lineNumber: 2, text: "{}" },
    ]);
  });

  it("refuses a line over the limit and goes on with the next", async () => {
    const lines = await collect(["x".repeat(11), "\nshort\n", "y".repeat(10), "\r\n"], 10);
    expect(lines).toEqual([
      { lineNumber: 1, tooLarge: true, bytes: 11 },
      { lineNumber: 2, text: "short" },
      { lineNumber: 3, text: "y".repeat(10) },
    ]);
  });

  it("skips a 10 MB line without buffering it whole", async () => {
    // A full collection before each measurement, so only memory the reader holds is counted.
    setFlagsFromString("--expose-gc");
    const collectGarbage = runInNewContext("gc") as () => void;
    const chunkBytes = 65_536;
    const lineBytes = 10 * 1024 * 1024;
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    let peakGrowth = 0;
    async function* chunks() {
      yield Buffer.from('{"first":1}\n');
      for (let sent = 0; sent < lineBytes; sent += chunkBytes) {
        if (sent % (16 * chunkBytes) === 0) {
          collectGarbage();
          peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - before);
        }
        yield Buffer.alloc(chunkBytes, 0x61);
      }
      yield Buffer.from('\n{"last":1}\n');
    }
    const lines: NdjsonLine[] = [];
    for await (const line of readNdjsonLines(chunks())) lines.push(line);
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"first":1}' },
      { lineNumber: 2, tooLarge: true, bytes: lineBytes },
      { lineNumber: 3, text: '{"last":1}' },
    ]);
    // The reader holds at most one line's limit and a chunk, far below the line itself.
    expect(peakGrowth).toBeLessThan(lineBytes / 4);
  });

  it("reads the same lines however the bytes are chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 8 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (texts, ending, cutSeeds) => {
          const clean = texts.map((text) => text.replace(/[\r\n\uFEFF]/g, ""));
          const bytes = Buffer.from(clean.map((text) => text + ending).join(""));
          const cuts = [...new Set(cutSeeds.map((seed) => seed % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [...cuts, bytes.length].map((cut, index) =>
            bytes.subarray(index === 0 ? 0 : (cuts[index - 1] as number), cut),
          );
          const expected = clean
            .map((text, index) => ({ lineNumber: index + 1, text }))
            .filter((line) => line.text.trim() !== "");
          expect(await collect(chunks)).toEqual(expected);
        },
      ),
    );
  });
});
