export type MessageBatcherOptions<Item> = Readonly<{
  /** A batch is committed once it holds this many items... */
  sizeMax: number;
  /** ...or this long after its first item arrived, whichever comes first. */
  waitMilliseconds: number;
  /** Items held at most, waiting and committing: `hasRoom` is false from here on. */
  heldMax: number;
  /** Commits one batch; one commit at a time, in arrival order. */
  commit: (batch: Item[]) => Promise<void>;
  /** A commit threw: the batcher stops; the failed batch and the items after it stay held. */
  onFailure: (error: unknown) => void;
}>;

/**
 * Collects items into batches and commits them one batch at a time: every `sizeMax` items or
 * `waitMilliseconds` after a batch's first item, whichever comes first. It holds at most
 * `heldMax` items; the producer asks `hasRoom` and waits on `whenRoom`, which is how the MQTT
 * connection is slowed down while the store catches up.
 */
export class MessageBatcher<Item> {
  readonly #options: MessageBatcherOptions<Item>;
  #waiting: Item[] = [];
  #committing = 0;
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  #draining = false;
  #failure: { error: unknown } | undefined;
  #running: Promise<void> | undefined;
  #roomWaiters: (() => void)[] = [];

  constructor(options: MessageBatcherOptions<Item>) {
    const { sizeMax, waitMilliseconds, heldMax } = options;
    if (!(Number.isInteger(sizeMax) && sizeMax >= 1)) {
      throw new Error(`sizeMax must be a whole number of at least 1, not ${sizeMax}`);
    }
    if (!(Number.isInteger(waitMilliseconds) && waitMilliseconds >= 0)) {
      throw new Error(`waitMilliseconds must be a whole number, not ${waitMilliseconds}`);
    }
    if (!(Number.isInteger(heldMax) && heldMax >= sizeMax)) {
      throw new Error(`heldMax must be a whole number of at least sizeMax, not ${heldMax}`);
    }
    this.#options = options;
  }

  /** Items waiting for a batch or in the batch being committed. */
  get held(): number {
    return this.#waiting.length + this.#committing;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  hasRoom(): boolean {
    return this.held < this.#options.heldMax || this.failed;
  }

  /** Resolves once `hasRoom` is true (at once if it is). */
  whenRoom(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  add(item: Item): void {
    if (this.#failure) throw new Error("the batcher stopped after a failed commit");
    if (this.#draining) throw new Error("the batcher is draining: no new items");
    this.#waiting.push(item);
    if (this.#waiting.length >= this.#options.sizeMax) this.#start();
    else if (this.#timer === undefined && !this.#due) this.#startTimer();
  }

  /** Commits everything held; rejects with the failure if a commit failed. */
  async drain(): Promise<void> {
    this.#draining = true;
    this.#clearTimer();
    this.#start();
    while (this.#running) await this.#running;
    if (this.#failure) throw this.#failure.error;
  }

  /**
   * Stops without committing what waits (what a crash does): lets the commit in progress finish
   * and returns the items that were never committed.
   */
  async abandon(): Promise<Item[]> {
    this.#draining = true;
    this.#clearTimer();
    const abandoned = this.#waiting.splice(0);
    while (this.#running) await this.#running;
    // A commit that failed meanwhile put its batch back.
    abandoned.push(...this.#waiting.splice(0));
    return abandoned;
  }

  #start(): void {
    if (this.#running) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  async #run(): Promise<void> {
    const { sizeMax, commit, onFailure } = this.#options;
    while (this.#isReady()) {
      const batch = this.#waiting.splice(0, sizeMax);
      this.#due = false;
      this.#clearTimer();
      this.#committing = batch.length;
      try {
        await commit(batch);
      } catch (error) {
        this.#waiting.unshift(...batch);
        this.#failure = { error };
        this.#committing = 0;
        this.#wakeRoomWaiters();
        onFailure(error);
        return;
      }
      this.#committing = 0;
      this.#wakeRoomWaiters();
      // What arrived during the commit has been waiting since; what stays past a full batch too.
      if (this.#waiting.length > 0 && this.#timer === undefined) this.#startTimer();
    }
  }

  #isReady(): boolean {
    const waiting = this.#waiting.length;
    if (this.#failure || waiting === 0) return false;
    return waiting >= this.#options.sizeMax || this.#due || this.#draining;
  }

  #startTimer(): void {
    if (this.#draining) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#start();
    }, this.#options.waitMilliseconds);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #wakeRoomWaiters(): void {
    if (!this.hasRoom()) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
