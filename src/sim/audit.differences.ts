/** Differences kept word for word; the rest are only counted. */
export const differencesKeptMax = 20;

export type DifferenceKind =
  | "ingest"
  | "review"
  | "appeal"
  | "decision"
  | "overdue"
  | "consent"
  | "inquiry"
  | "statistics"
  | "score"
  | "entry";

/** One place where the system and the reference model disagree. */
export type Difference = Readonly<{
  kind: DifferenceKind;
  /** The subject concerned, when there is one. */
  subjectId: string | undefined;
  message: string;
}>;

/** The differences an audit found, in the order it found them. */
export class DifferenceLog {
  readonly kept: Difference[] = [];
  count = 0;
  /** The first score difference, the audit's headline. */
  firstScore: Difference | undefined;

  add(difference: Difference): void {
    this.count++;
    if (this.kept.length < differencesKeptMax) this.kept.push(difference);
    if (difference.kind === "score") this.firstScore ??= difference;
  }

  /** The first subject the audit found different: by score first, else by any difference. */
  firstSubject(): string | undefined {
    return (
      this.firstScore?.subjectId ??
      this.kept.find((each) => each.subjectId !== undefined)?.subjectId
    );
  }
}
