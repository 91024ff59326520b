/**
 * Messages delivered to one partition and not yet taken, in delivery order, each weighing the
 * events it carries. The consumer fills it from its callback; the partition's loop takes
 * batches: as soon as `batchWeight` events are waiting, or `batchWaitMilliseconds` after the
 * first message arrived, whichever comes first. It holds at most `weightMax` events (one item
 * however heavy): `offer` refuses what does not fit, `put` waits for room, which holds the
 * consumer back (it asks the server for more only as its messages are taken).
 */
export class BatchBuffer<Item> {
  private items: Item[] = [];
  private weights: number[] = [];
  private weight = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(
    private readonly weightMax: number,
    private readonly weightOf: (item: Item) => number = () => 1,
  ) {
    if (!(Number.isInteger(weightMax) && weightMax >= 1)) {
      throw new Error(`weightMax must be a positive whole number, not ${weightMax}`);
    }
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds an item; false when the buffer is closed or full, and the caller must hand it back. */
  offer(item: Item): boolean {
    const weight = this.weightOf(item);
    if (this.closed || (this.items.length > 0 && this.weight + weight > this.weightMax)) {
      return false;
    }
    this.items.push(item);
    this.weights.push(weight);
    this.weight += weight;
    this.wake?.();
    return true;
  }

  /** Adds an item once there is room for it; false when the buffer is closed first. */
  async put(item: Item): Promise<boolean> {
    for (;;) {
      if (this.offer(item)) return true;
      if (this.closed) return false;
      await new Promise<void>((resolve) => {
        this.wakeProducer = resolve;
      });
    }
  }

  /** Ends every wait: `take` then answers what is left, and nothing once it is empty. */
  close(): void {
    this.closed = true;
    this.wake?.();
    this.roomMade();
  }

  /**
   * The oldest items weighing up to `batchWeight` together (at least one item, however heavy);
   * an empty batch only once the buffer is closed.
   */
  async take(batchWeight: number, batchWaitMilliseconds: number): Promise<Item[]> {
    while (this.items.length === 0 && !this.closed) await this.changed(undefined);
    const deadline = Date.now() + batchWaitMilliseconds;
    while (this.weight < batchWeight && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.changed(left);
    }
    let count = 0;
    let weight = 0;
    while (count < this.items.length) {
      const next = this.weights[count] as number;
      if (count > 0 && weight + next > batchWeight) break;
      weight += next;
      count++;
    }
    this.weights.splice(0, count);
    this.weight -= weight;
    const taken = this.items.splice(0, count);
    this.roomMade();
    return taken;
  }

  /** Everything still waiting, emptying the buffer. */
  drain(): Item[] {
    this.weights = [];
    this.weight = 0;
    const drained = this.items.splice(0, this.items.length);
    this.roomMade();
    return drained;
  }

  private roomMade(): void {
    const wake = this.wakeProducer;
    this.wakeProducer = undefined;
    wake?.();
  }

  private changed(timeoutMilliseconds: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer =
        timeoutMilliseconds === undefined ? undefined : setTimeout(done, timeoutMilliseconds);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}
