import { resolve } from "node:path";
import type { Command } from "commander";

export const dataOptionName = "data";
export const dataOptionDefault = "./data";

/**
 * The data folder as an absolute path: `--data` after the command, else `--data` before it,
 * `CIVIC_DATA` or the default (the program's option carries those).
 */
export function dataDirectoryOf(command: Command): string {
  let directory: string | undefined;
  for (
    let current: Command | null = command;
    current && directory === undefined;
    current = current.parent
  ) {
    directory = current.opts<{ data?: string }>().data;
  }
  return resolve(directory ?? dataOptionDefault);
}
