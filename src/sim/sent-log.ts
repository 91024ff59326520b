/** What the simulator knows about one report that the system cannot: the ground truth. */
export const sentFlags = {
  /** A camera attributed someone else's infraction to this subject. */
  wronglyAttributed: 1,
  /** A source's mistake: an unenrolled subject, or a type the source may not report. */
  misdirected: 2,
  /** Part of the demo's scripted citizen. */
  scripted: 4,
} as const;

const capacityInitial = 1_024;

/**
 * Every report the simulator made, by sequence number (the event id is `e<seq>`), column by
 * column so that a million-subject run stays small: who it names, its type, its ground truth,
 * and the entry the system made of it.
 */
export class SentLog {
  private subjectColumn = new Int32Array(capacityInitial);
  private typeColumn = new Uint8Array(capacityInitial);
  private flagColumn = new Uint8Array(capacityInitial);
  private entryColumn = new Int32Array(capacityInitial);
  private count = 0;

  constructor(readonly types: readonly string[]) {
    if (types.length > 255) throw new Error("at most 255 event types");
  }

  get size(): number {
    return this.count;
  }

  /** Records a report and returns its sequence number. */
  add(report: Readonly<{ subject: number; type: number; flags: number }>) {
    if (this.count === this.subjectColumn.length) this.grow();
    const seq = this.count++;
    this.subjectColumn[seq] = report.subject;
    this.typeColumn[seq] = report.type;
    this.flagColumn[seq] = report.flags;
    return seq;
  }

  subject(seq: number): number {
    return this.subjectColumn[this.check(seq)] as number;
  }

  type(seq: number): string {
    return this.types[this.typeColumn[this.check(seq)] as number] as string;
  }

  flags(seq: number): number {
    return this.flagColumn[this.check(seq)] as number;
  }

  has(seq: number, flag: number): boolean {
    return (this.flags(seq) & flag) !== 0;
  }

  /** The entry the system made of the report; 0 before (or without) one. */
  entryId(seq: number): number {
    return this.entryColumn[this.check(seq)] as number;
  }

  setEntryId(seq: number, entryId: number): void {
    this.entryColumn[this.check(seq)] = entryId;
  }

  private check(seq: number): number {
    if (!Number.isInteger(seq) || seq < 0 || seq >= this.count) {
      throw new Error(`no report ${seq} was sent`);
    }
    return seq;
  }

  private grow(): void {
    const capacity = this.subjectColumn.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(column: T, next: T): T => {
      next.set(column);
      return next;
    };
    this.subjectColumn = grown(this.subjectColumn, new Int32Array(capacity));
    this.typeColumn = grown(this.typeColumn, new Uint8Array(capacity));
    this.flagColumn = grown(this.flagColumn, new Uint8Array(capacity));
    this.entryColumn = grown(this.entryColumn, new Int32Array(capacity));
  }
}

/** Event ids carry the sequence number, so a reviewer's queue leads back to the ground truth. */
export function eventIdOf(seq: number): string {
  return `e${seq}`;
}

export function seqOfEventId(eventId: string): number | undefined {
  const match = /^e(\d+)$/.exec(eventId);
  return match ? Number(match[1]) : undefined;
}
