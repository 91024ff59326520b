import { type BatchItem, batchEventsMax } from "../core/batch.js";
import type { Outcome } from "../core/outcome.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";
import type { DecodedMessage } from "./event.message.js";

/** The ledger's answer for one event of a message. */
export type EventOutcome = Readonly<{ eventId: string; outcome: Outcome }>;

/** What becomes of one stream message once its batch is committed. */
export type MessageVerdict =
  /** The ledger decided each of its events (recorded, duplicate or refused): acknowledge it. */
  | Readonly<{ kind: "decided"; source: string; outcomes: readonly EventOutcome[] }>
  /** It can never be read: acknowledge it as terminated, so it stops coming back. */
  | Readonly<{ kind: "unreadable"; reason: string }>
  /**
   * Its source is not in this ledger: a worker started on the wrong store, most likely. It is
   * not acknowledged, so it waits in the stream for a worker on the right one.
   */
  | Readonly<{ kind: "unknown_source"; source: string }>;

export type CommitOptions = Readonly<{
  store: LedgerStore;
  clock: () => Instant;
  /** Runs one write, again after each failure, until it succeeds or the worker stops. */
  retrying: <T>(write: () => Promise<T>) => Promise<T>;
}>;

type Slot = Readonly<{ message: number; event: number; item: BatchItem }>;

/**
 * Commits one batch of a partition: one `ingestBatch` per source (each atomic), the sources in
 * the order they first appear, each source's events in stream order. Every message gets a
 * verdict; none is acknowledged here, so a crash at any point leaves every message to be
 * delivered again, and the ledger answers an event it already holds as a duplicate: nothing is
 * lost, and nothing counted twice.
 */
export async function commitMessages(
  messages: readonly DecodedMessage[],
  { store, clock, retrying }: CommitOptions,
): Promise<MessageVerdict[]> {
  const verdicts: MessageVerdict[] = new Array(messages.length);
  const outcomes: (EventOutcome | undefined)[][] = messages.map(() => []);
  const bySource = new Map<string, { messages: number[]; slots: Slot[] }>();
  messages.forEach((message, messageIndex) => {
    if (message.kind === "unreadable") {
      verdicts[messageIndex] = { kind: "unreadable", reason: message.reason };
      return;
    }
    const group = bySource.get(message.source) ?? { messages: [], slots: [] };
    group.messages.push(messageIndex);
    message.events.forEach(({ eventId, decoded }, eventIndex) => {
      if ("kind" in decoded) {
        (outcomes[messageIndex] as EventOutcome[])[eventIndex] = { eventId, outcome: decoded };
      } else {
        group.slots.push({ message: messageIndex, event: eventIndex, item: decoded });
      }
    });
    bySource.set(message.source, group);
  });
  for (const [name, group] of bySource) {
    const source = await retrying(() => store.source(name));
    if (!source) {
      for (const index of group.messages)
        verdicts[index] = { kind: "unknown_source", source: name };
      continue;
    }
    for (let start = 0; start < group.slots.length; start += batchEventsMax) {
      const slots = group.slots.slice(start, start + batchEventsMax);
      const items = slots.map((slot) => slot.item);
      const answered = await retrying(() => store.ingestBatch(source, items, clock()));
      if (answered.length !== items.length) {
        throw new Error(`store answered ${answered.length} outcomes for ${items.length} events`);
      }
      slots.forEach((slot, position) => {
        (outcomes[slot.message] as EventOutcome[])[slot.event] = {
          eventId: slot.item.event.id,
          outcome: answered[position] as Outcome,
        };
      });
    }
    for (const index of group.messages) {
      const answers = outcomes[index] as (EventOutcome | undefined)[];
      const count = (messages[index] as { events: readonly unknown[] }).events.length;
      verdicts[index] = {
        kind: "decided",
        source: name,
        outcomes: Array.from({ length: count }, (_, event) => present(answers[event], event)),
      };
    }
  }
  return verdicts;
}

function present(outcome: EventOutcome | undefined, index: number): EventOutcome {
  if (outcome === undefined) throw new Error(`event ${index} of a message got no outcome`);
  return outcome;
}
