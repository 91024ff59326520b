/**
 * Group commit: small writes that arrive in the same turn of the event loop (one inquiry per
 * partner lookup, from many connections) share one transaction. Each caller's promise settles
 * only after that transaction committed, so nothing is answered before it is stored. A write
 * that fails alone (a bad input) fails only its own caller; a failed transaction fails them all.
 */
export class GroupCommit<Input, Output> {
  private pending: Pending<Input, Output>[] = [];

  constructor(
    /** Runs `body` in one write transaction and commits it. */
    private readonly transaction: <Result>(body: () => Result) => Result,
    /** One input's write, run inside that transaction. */
    private readonly write: (input: Input) => Output,
  ) {}

  /** Resolves with the input's result once its transaction committed. */
  submit(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ input, resolve, reject });
    });
  }

  /** Commits what is pending now; the store calls it before it closes. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let settled: Settled<Output>[];
    try {
      settled = this.transaction(() => batch.map((item) => this.settle(item.input)));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const result = settled[index] as Settled<Output>;
      if ("error" in result) item.reject(result.error);
      else item.resolve(result.value);
    });
  }

  /** A failed statement is undone alone by SQLite; the rest of the transaction stands. */
  private settle(input: Input): Settled<Output> {
    try {
      return { value: this.write(input) };
    } catch (error) {
      return { error };
    }
  }
}

type Settled<Output> = { value: Output } | { error: unknown };

type Pending<Input, Output> = Readonly<{
  input: Input;
  resolve: (output: Output) => void;
  reject: (error: unknown) => void;
}>;
