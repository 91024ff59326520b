/** What the worker needs of a delivered message here (a JetStream `JsMsg`). */
export type HeldMessage = Readonly<{ seq: number; working(): void }>;

/**
 * The messages one partition holds, waiting or being committed, by stream sequence.
 *
 * The ack wait is how long a worker may be silent before it counts as dead and its messages go
 * to the next one; a slow commit is not death. So a message held for a third of the ack wait
 * is announced as in progress, and only such a message: announcing every message on every tick
 * would load the server with work that normal operation never needs.
 *
 * A copy of a held message (delivered again, say after a stall) is refused: JetStream counts
 * acknowledgements and progress by stream sequence, so the first one's acknowledgement settles
 * both, and the copy would only come back from the ledger as a duplicate.
 */
export class HeldMessages<Message extends HeldMessage> {
  private readonly touchedAt = new Map<number, number>();
  private readonly messages = new Map<number, Message>();
  /** How often `keepAlive` should run. */
  readonly tickMilliseconds: number;
  private readonly touchAfterMilliseconds: number;

  constructor(ackWaitMilliseconds: number) {
    if (!(Number.isInteger(ackWaitMilliseconds) && ackWaitMilliseconds >= 1_000)) {
      throw new Error(`the ack wait must be at least 1,000 ms, not ${ackWaitMilliseconds}`);
    }
    this.touchAfterMilliseconds = Math.floor(ackWaitMilliseconds / 3);
    this.tickMilliseconds = Math.floor(ackWaitMilliseconds / 6);
  }

  get size(): number {
    return this.messages.size;
  }

  /** Holds a message delivered at `now`; false for a copy of one held already. */
  hold(message: Message, now: number): boolean {
    if (this.messages.has(message.seq)) return false;
    this.messages.set(message.seq, message);
    this.touchedAt.set(message.seq, now);
    return true;
  }

  /** Lets go of messages acknowledged or handed back. */
  release(messages: readonly Message[]): void {
    for (const message of messages) {
      if (this.messages.get(message.seq) !== message) continue;
      this.messages.delete(message.seq);
      this.touchedAt.delete(message.seq);
    }
  }

  /** Announces the messages held for a third of the ack wait; answers how many. */
  keepAlive(now: number): number {
    let announced = 0;
    for (const [seq, touched] of this.touchedAt) {
      if (now - touched < this.touchAfterMilliseconds) continue;
      this.touchedAt.set(seq, now);
      announced++;
      try {
        this.messages.get(seq)?.working();
      } catch {
        // A closed connection: the server delivers the message again after the ack wait.
      }
    }
    return announced;
  }

  clear(): void {
    this.messages.clear();
    this.touchedAt.clear();
  }
}
