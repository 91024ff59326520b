import type { Instant } from "../core/time.js";
import type { ExitCode } from "./exit-codes.js";
import type { Io } from "./io.js";

/** What every command gets: where to write, the clock, and where to leave its exit code. */
export type CliContext = {
  readonly io: Io;
  readonly clock: () => Instant;
  exitCode: ExitCode;
};
