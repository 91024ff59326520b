import type { ExitCode } from "./exit-codes.js";

/** An operating error the CLI answers with one line on stderr and an exit code, never a trace. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
