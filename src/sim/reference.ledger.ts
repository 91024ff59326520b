import type { Instant } from "../core/time.js";
import type { ReferenceRule, ReferenceRulebook } from "./reference.rulebook.js";

const dayMilliseconds = 86_400_000;
const appealDays = 30;

/** An entry's state in the reference model. */
export const referenceStatuses = [
  "effective",
  "pending_review",
  "capped",
  "disputed",
  "reversed",
  "rejected",
] as const;
export type ReferenceStatus = (typeof referenceStatuses)[number];
const code = Object.fromEntries(referenceStatuses.map((status, index) => [status, index])) as {
  [status in ReferenceStatus]: number;
};

/** The statuses an entry is recorded with. */
export type PricedStatus = "effective" | "pending_review" | "capped";

export type ReferenceSource = Readonly<{
  name: string;
  kind: string;
  allowedTypes: readonly string[];
}>;

/** One report as the reference model receives it: the subject is an index, -1 for nobody. */
export type ReferenceReport = Readonly<{
  key: number;
  subject: number;
  type: string;
  occurredAt: Instant;
  confidence: number | undefined;
}>;

export type Predicted =
  | Readonly<{ kind: "accepted"; entry: number; points: number; status: PricedStatus }>
  | Readonly<{ kind: "duplicate"; entry: number }>
  | Readonly<{
      kind: "unknown_event_type" | "source_not_authorised_for_type" | "unknown_subject";
    }>;

/**
 * The auditor's ledger: the charter's rules written out plainly and kept apart from the core.
 * Entries are stored column by column (index = the model's own entry number), each subject's
 * entries as a linked list. Everything here is the model's expectation, never the system's.
 */
export class ReferenceLedger {
  private subjectColumn = new Int32Array(1_024);
  private ruleColumn = new Uint16Array(1_024);
  private occurredColumn = new Float64Array(1_024);
  private effectiveColumn = new Float64Array(1_024);
  private expiresColumn = new Float64Array(1_024);
  private pointsColumn = new Int32Array(1_024);
  private statusColumn = new Uint8Array(1_024);
  private beforeDisputeColumn = new Uint8Array(1_024);
  private appealedColumn = new Uint8Array(1_024);
  private nextColumn = new Int32Array(1_024);
  private keyColumn = new Float64Array(1_024);
  private entryCount = 0;
  /** Appeals decided for the subject at their deadline, so far. */
  settledAtDeadline = 0;
  private readonly firstOfSubject: Int32Array;
  /** Stored reports by (source, key): a source's event ids are its idempotency keys. */
  private readonly stored = new Map<string, Map<number, number>>();
  private readonly rulesByIndex: ReferenceRule[];
  private readonly appeals = new Map<number, { entry: number; deadline: Instant; open: boolean }>();

  constructor(
    readonly rulebook: ReferenceRulebook,
    subjects: number,
  ) {
    this.firstOfSubject = new Int32Array(subjects).fill(-1);
    this.rulesByIndex = [...rulebook.rules.values()].sort((a, b) => a.index - b.index);
  }

  get entries(): number {
    return this.entryCount;
  }

  /** Decides one report as the charter and the rulebook say, and stores it if accepted. */
  ingest(source: ReferenceSource, report: ReferenceReport, receivedAt: Instant): Predicted {
    const bySource = this.stored.get(source.name) ?? new Map<number, number>();
    this.stored.set(source.name, bySource);
    const earlier = bySource.get(report.key);
    if (earlier !== undefined) return { kind: "duplicate", entry: earlier };
    const rule = this.rulebook.rules.get(report.type);
    if (!rule) return { kind: "unknown_event_type" };
    if (!allows(source, report.type)) return { kind: "source_not_authorised_for_type" };
    if (report.subject < 0) return { kind: "unknown_subject" };
    let points = rule.points;
    let status: PricedStatus = "effective";
    if (rule.cap && this.overCap(report.subject, rule, report.occurredAt)) {
      points = 0;
      status = "capped";
    } else if (
      report.confidence !== undefined &&
      report.confidence < this.rulebook.cameraConfidenceMin
    ) {
      status = "pending_review";
    }
    const entry = this.append(report, rule, { points, status, receivedAt });
    bySource.set(report.key, entry);
    return { kind: "accepted", entry, points, status };
  }

  isStored(source: string, key: number): boolean {
    return this.stored.get(source)?.has(key) ?? false;
  }

  /** A reviewer's decision: only an entry waiting for review (and not under appeal) takes one. */
  review(entry: number, confirm: boolean): boolean {
    if (this.status(entry) !== "pending_review") return false;
    this.setStatus(entry, confirm ? "effective" : "rejected");
    return true;
  }

  /** Opens an appeal; `appealId` is the system's number for it. */
  appeal(entry: number, subject: number, appealId: number, at: Instant): boolean {
    const status = this.status(entry);
    const appealable = status === "effective" || status === "capped" || status === "pending_review";
    if (this.subject(entry) !== subject || this.appealedColumn[entry] === 1 || !appealable) {
      return false;
    }
    this.appealedColumn[entry] = 1;
    this.beforeDisputeColumn[entry] = code[status];
    this.setStatus(entry, "disputed");
    this.appeals.set(appealId, { entry, deadline: at + appealDays * dayMilliseconds, open: true });
    return true;
  }

  deadlineOf(appealId: number): Instant | undefined {
    return this.appeals.get(appealId)?.deadline;
  }

  /** A reviewer's decision of an open appeal, in time: upheld restores, reversed removes. */
  decideAppeal(appealId: number, outcome: "upheld" | "reversed", at: Instant): boolean {
    const appeal = this.appeals.get(appealId);
    if (!appeal?.open || at > appeal.deadline) return false;
    this.close(appealId, outcome);
    return true;
  }

  /** Charter item 4: every appeal still open at its deadline is decided for the subject. */
  settleOverdue(at: Instant): number {
    let settled = 0;
    for (const [appealId, appeal] of this.appeals) {
      if (appeal.open && appeal.deadline <= at) {
        this.close(appealId, "reversed");
        settled++;
        this.settledAtDeadline++;
      }
    }
    return settled;
  }

  openAppeals(): number {
    let open = 0;
    for (const appeal of this.appeals.values()) if (appeal.open) open++;
    return open;
  }

  /** The base plus the points of the subject's entries that count at `at`. */
  scoreAt(subject: number, at: Instant): number {
    let score = this.rulebook.baseScore;
    for (let entry = this.firstOfSubject[subject] as number; entry >= 0; entry = this.next(entry)) {
      if (this.countsAt(entry, at)) score += this.pointsColumn[entry] as number;
    }
    return score;
  }

  /** The score without the entries `excluded` says to leave out (what-if for the report). */
  scoreWithout(subject: number, at: Instant, excluded: (entry: number) => boolean): number {
    let score = this.rulebook.baseScore;
    for (let entry = this.firstOfSubject[subject] as number; entry >= 0; entry = this.next(entry)) {
      if (this.countsAt(entry, at) && !excluded(entry)) score += this.pointsColumn[entry] as number;
    }
    return score;
  }

  /** Instants in (from, to] at which the subject's score can change. */
  changesBetween(subject: number, from: Instant, to: Instant): Instant[] {
    const changes: Instant[] = [];
    for (let entry = this.firstOfSubject[subject] as number; entry >= 0; entry = this.next(entry)) {
      for (const at of [
        this.effectiveColumn[entry] as number,
        this.expiresColumn[entry] as number,
      ]) {
        if (at > from && at <= to) changes.push(at);
      }
    }
    return changes;
  }

  /** The subject's entries, oldest first. */
  entriesOf(subject: number): number[] {
    const list: number[] = [];
    for (let entry = this.firstOfSubject[subject] as number; entry >= 0; entry = this.next(entry)) {
      list.push(entry);
    }
    return list.reverse();
  }

  countsAt(entry: number, at: Instant): boolean {
    return (
      this.statusColumn[entry] === code.effective &&
      (this.effectiveColumn[entry] as number) <= at &&
      at < (this.expiresColumn[entry] as number)
    );
  }

  status(entry: number): ReferenceStatus {
    return referenceStatuses[this.statusColumn[this.check(entry)] as number] as ReferenceStatus;
  }

  subject(entry: number): number {
    return this.subjectColumn[this.check(entry)] as number;
  }

  key(entry: number): number {
    return this.keyColumn[this.check(entry)] as number;
  }

  type(entry: number): string {
    return (this.rulesByIndex[this.ruleColumn[this.check(entry)] as number] as ReferenceRule).type;
  }

  line(entry: number) {
    this.check(entry);
    return {
      points: this.pointsColumn[entry] as number,
      status: this.status(entry),
      effectiveAt: this.effectiveColumn[entry] as number,
      expiresAt: this.expiresColumn[entry] as number,
      appealed: this.appealedColumn[entry] === 1,
    };
  }

  /**
   * A cap such as "+20 per 365 days" holds in every window of that length. The largest sum in a
   * window containing the event starts at the event or at an earlier award inside the window,
   * so those starts are the only ones to check. Awards are the subject's entries of the type
   * that count now or may count after a human decision: effective, pending review, disputed.
   */
  private overCap(subject: number, rule: ReferenceRule, at: Instant): boolean {
    const cap = rule.cap as NonNullable<ReferenceRule["cap"]>;
    const window = cap.windowDays * dayMilliseconds;
    const awards: { at: Instant; points: number }[] = [];
    for (let entry = this.firstOfSubject[subject] as number; entry >= 0; entry = this.next(entry)) {
      const status = this.statusColumn[entry];
      const holdsRoom =
        status === code.effective || status === code.pending_review || status === code.disputed;
      const occurredAt = this.occurredColumn[entry] as number;
      const points = this.pointsColumn[entry] as number;
      if (this.ruleColumn[entry] !== rule.index || !holdsRoom || points === 0) continue;
      if (Math.abs(occurredAt - at) < window) awards.push({ at: occurredAt, points });
    }
    const starts = [at, ...awards.filter((award) => award.at < at).map((award) => award.at)];
    for (const start of starts) {
      let sum = Math.abs(rule.points);
      for (const award of awards) {
        if (award.at >= start && award.at < start + window) sum += Math.abs(award.points);
      }
      if (sum > Math.abs(cap.points)) return true;
    }
    return false;
  }

  private close(appealId: number, outcome: "upheld" | "reversed"): void {
    const appeal = this.appeals.get(appealId);
    if (!appeal) throw new Error(`no appeal ${appealId}`);
    appeal.open = false;
    const before = referenceStatuses[this.beforeDisputeColumn[appeal.entry] as number];
    this.setStatus(appeal.entry, outcome === "upheld" ? (before as ReferenceStatus) : "reversed");
  }

  private append(
    report: ReferenceReport,
    rule: ReferenceRule,
    priced: Readonly<{ points: number; status: ReferenceStatus; receivedAt: Instant }>,
  ): number {
    if (this.entryCount === this.subjectColumn.length) this.grow();
    const entry = this.entryCount++;
    this.subjectColumn[entry] = report.subject;
    this.ruleColumn[entry] = rule.index;
    this.occurredColumn[entry] = report.occurredAt;
    // Conduct counts from when it happened, unless reported from ahead of the receiver's clock.
    this.effectiveColumn[entry] = Math.min(report.occurredAt, priced.receivedAt);
    this.expiresColumn[entry] = report.occurredAt + rule.expiresAfterDays * dayMilliseconds;
    this.pointsColumn[entry] = priced.points;
    this.statusColumn[entry] = code[priced.status];
    this.keyColumn[entry] = report.key;
    this.nextColumn[entry] = this.firstOfSubject[report.subject] as number;
    this.firstOfSubject[report.subject] = entry;
    return entry;
  }

  private next(entry: number): number {
    return this.nextColumn[entry] as number;
  }

  private setStatus(entry: number, status: ReferenceStatus): void {
    this.statusColumn[entry] = code[status];
  }

  private check(entry: number): number {
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.entryCount) {
      throw new Error(`the reference ledger has no entry ${entry}`);
    }
    return entry;
  }

  private grow(): void {
    const size = this.subjectColumn.length * 2;
    const copy = <T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(
      from: T,
      to: T,
    ): T => {
      to.set(from);
      return to;
    };
    this.subjectColumn = copy(this.subjectColumn, new Int32Array(size));
    this.ruleColumn = copy(this.ruleColumn, new Uint16Array(size));
    this.occurredColumn = copy(this.occurredColumn, new Float64Array(size));
    this.effectiveColumn = copy(this.effectiveColumn, new Float64Array(size));
    this.expiresColumn = copy(this.expiresColumn, new Float64Array(size));
    this.pointsColumn = copy(this.pointsColumn, new Int32Array(size));
    this.statusColumn = copy(this.statusColumn, new Uint8Array(size));
    this.beforeDisputeColumn = copy(this.beforeDisputeColumn, new Uint8Array(size));
    this.appealedColumn = copy(this.appealedColumn, new Uint8Array(size));
    this.nextColumn = copy(this.nextColumn, new Int32Array(size));
    this.keyColumn = copy(this.keyColumn, new Float64Array(size));
  }
}

/** `traffic.*` allows every `traffic.` type; `*` allows all; otherwise the exact type. */
function allows(source: ReferenceSource, type: string): boolean {
  return source.allowedTypes.some(
    (pattern) =>
      pattern === "*" ||
      pattern === type ||
      (pattern.endsWith(".*") && type.startsWith(pattern.slice(0, -1))),
  );
}
