import type { Readable, Writable } from "node:stream";

/** Where the CLI writes; tests pass their own, `bin/civic.js` the process's streams. */
export type Io = Readonly<{
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** For progress bars, drawn only when this is a terminal. */
  stderrStream: Writable;
  stderrIsTty: boolean;
  stdin: Readable;
  env: Readonly<Record<string, string | undefined>>;
}>;

export function processIo(): Io {
  // A reader that stops early (`civic entries c-1 | head`) is no reason to crash or to stop an
  // ingestion halfway: output to a closed pipe is dropped.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrStream: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    stdin: process.stdin,
    env: process.env,
  };
}

/** One line of NDJSON on stdout. */
export function printJsonLine(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** One JSON document on stdout, indented for people who read it. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
