import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";

/** Bytes read from an input file at a time: the reader's memory is about this plus one line. */
export const readChunkBytes = 65_536;

export type InputFile = Readonly<{ stream: ReadStream; bytes: number }>;

/** Opens a regular file for streaming, or answers a usage error naming what is wrong. */
export async function openInputFile(path: string): Promise<InputFile> {
  let bytes: number;
  try {
    const status = await stat(path);
    if (!status.isFile()) throw new CliError(exitCodes.usage, `${path} is not a regular file`);
    bytes = status.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(exitCodes.usage, `cannot read ${path}: ${describeFileError(error)}`);
  }
  const stream = createReadStream(path, { highWaterMark: readChunkBytes });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) =>
      reject(new CliError(exitCodes.usage, `cannot read ${path}: ${describeFileError(error)}`)),
    );
  });
  return { stream, bytes };
}

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return (error as Error).message;
}
