/** The `civic` command's exit codes; `--help` prints this list. */
export const exitCodes = {
  ok: 0,
  /** A check failed: `verify` found differences, a rulebook or a source was refused. */
  failed: 1,
  /**
   * Bad command line: unknown flag or command, bad flag value, a missing or unreadable file, or
   * one that cannot be read as its kind at all (an enrollment CSV without its header).
   */
  usage: 2,
  /** `--strict` and at least one line of the input was refused. */
  linesRefused: 3,
  /** The data folder holds no database yet: run `civic init`. */
  notInitialised: 4,
  /** The named subject, source or rulebook version does not exist. */
  notFound: 5,
  /** The database could not be used: locked by another process too long, disk full, no access. */
  storage: 6,
  /** A bug: an unexpected error (set CIVIC_DEBUG=1 for the stack trace). */
  internal: 70,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodesHelp = `
Exit codes:
  0   ok (ingest and enroll exit 0 even when lines were refused, unless --strict)
  1   check failed: verify found differences, a rulebook or a source was refused
  2   usage error: unknown command or flag, bad flag value, missing or unreadable file,
      a file refused whole (an enrollment CSV without its id,region header)
  3   --strict and at least one input line was refused
  4   the data folder is not initialised (run \`civic init\`)
  5   not found: no such subject, source or rulebook version
  6   storage error: the database is locked, the disk is full or access is denied
      (every batch committed before it stays; rerunning an ingest is safe)
  70  internal error (a bug; CIVIC_DEBUG=1 prints the stack trace)`;
