import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's full collection (Node exposes `gc` only to code compiled after the flag is set). */
export function fullCollection(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Lines a long ingest reads between two full collections (see `collectEvery`). */
export const collectEveryLines = 50_000;

/**
 * A full garbage collection after every `lines` lines. A long `civic ingest` keeps little alive
 * (a heap snapshot 50 s into a 1,000,000-line ingest held 31 MB of live objects), but each
 * batch's objects outlive the commit they wait for, V8 promotes them, and the old generation
 * fills with them: 150 MB and more of garbage before V8 collects it on its own. Collecting
 * every 50,000 lines (twenty times in that ingest) took the benchmark's peak from 333–350 MB
 * to 274 MB at the same speed, and under `/usr/bin/time` from 380 MB to 281–301 MB
 * (2026-11-27). Every 25,000 lines gave 267–271 MB, a few percent slower.
 */
export function collectEvery(
  lines: number,
  collect: () => void = fullCollection(),
): (lineNumber: number) => void {
  let next = lines;
  return (lineNumber) => {
    if (lineNumber < next) return;
    collect();
    next = lineNumber + lines;
  };
}
