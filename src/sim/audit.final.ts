import type { Instant } from "../core/time.js";
import type { Difference } from "./audit.differences.js";
import type { SystemScore } from "./driver.js";
import type { ReferenceLedger } from "./reference.ledger.js";
import { referenceRating } from "./reference.rulebook.js";

/** What the final comparison needs of the auditor. */
export type FinalAuditContext = Readonly<{
  ledger: ReferenceLedger;
  entryOf: (systemEntryId: number) => number | undefined;
  subjectIds: readonly string[];
  indexOf: (subjectId: string) => number | undefined;
  differ: (kind: Difference["kind"], subjectId: string | undefined, message: string) => void;
}>;

/**
 * The end of the run: every subject's score and rating, and (when the driver reads them) every
 * entry's points, status and validity window, against the reference model.
 */
export async function compareFinal(
  context: FinalAuditContext,
  scores: AsyncIterable<SystemScore>,
): Promise<{ subjectsChecked: number; entriesChecked: number }> {
  let subjectsChecked = 0;
  let entriesChecked = 0;
  for await (const system of scores) {
    subjectsChecked++;
    compareScore(context, system);
    if (system.entries) entriesChecked += compareEntries(context, system);
  }
  if (subjectsChecked !== context.subjectIds.length) {
    context.differ(
      "score",
      undefined,
      `the system gave ${subjectsChecked} scores for ${context.subjectIds.length} subjects`,
    );
  }
  return { subjectsChecked, entriesChecked };
}

/**
 * A system that computed the score at some instant of [from, to] (a server's clock) may have
 * any of the scores the model has in that span.
 */
function compareScore(context: FinalAuditContext, system: SystemScore): void {
  const { ledger, differ } = context;
  const subject = context.indexOf(system.subjectId);
  if (subject === undefined) {
    differ("score", system.subjectId, "the system scores a subject the simulation never enrolled");
    return;
  }
  const instants = [system.from, ...ledger.changesBetween(subject, system.from, system.to)];
  const possible = instants.map((at) => ledger.scoreAt(subject, at));
  const expected = possible[possible.length - 1] as number;
  const expectedRating = referenceRating(expected, ledger.rulebook);
  if (system.score === undefined || !possible.includes(system.score)) {
    differ(
      "score",
      system.subjectId,
      `expected score ${expected} (${expectedRating}), the system has ${system.score ?? "none"} (${system.rating ?? "no rating"})`,
    );
    return;
  }
  const rating = referenceRating(system.score, ledger.rulebook);
  if (system.rating !== undefined && system.rating !== rating) {
    differ(
      "score",
      system.subjectId,
      `score ${system.score} is rated ${rating}, the system rates it ${system.rating}`,
    );
  }
}

function compareEntries(context: FinalAuditContext, system: SystemScore): number {
  const { ledger, differ } = context;
  const subject = context.indexOf(system.subjectId) ?? -1;
  const seen = new Set<number>();
  for (const entry of system.entries ?? []) {
    const modelEntry = context.entryOf(entry.id);
    if (modelEntry === undefined || ledger.subject(modelEntry) !== subject) {
      differ(
        "entry",
        system.subjectId,
        `the system holds entry ${entry.id} (${entry.eventId}), the model has no such entry of this subject`,
      );
      continue;
    }
    seen.add(modelEntry);
    const line = ledger.line(modelEntry);
    const same =
      line.points === entry.points &&
      line.status === entry.status &&
      line.effectiveAt === entry.effectiveAt &&
      line.expiresAt === entry.expiresAt;
    if (!same) {
      differ(
        "entry",
        system.subjectId,
        `entry ${entry.id}: the system has ${describe(entry)}, the model ${describe(line)}`,
      );
    }
  }
  for (const modelEntry of ledger.entriesOf(subject)) {
    if (!seen.has(modelEntry)) {
      differ(
        "entry",
        system.subjectId,
        `the model holds an entry of report e${ledger.key(modelEntry)} that the system lacks`,
      );
    }
  }
  return system.entries?.length ?? 0;
}

function describe(
  line: Readonly<{ points: number; status: string; effectiveAt: Instant; expiresAt: Instant }>,
) {
  const window = `${new Date(line.effectiveAt).toISOString()} to ${new Date(line.expiresAt).toISOString()}`;
  return `${line.points} points, ${line.status}, counting ${window}`;
}
