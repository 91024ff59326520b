import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MessageBatcher, type MessageBatcherOptions } from "./message.batcher.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Gate = { release: () => void };

/** A batcher whose commits are recorded and, with `hold`, wait until released. */
function batcher(
  options: Partial<MessageBatcherOptions<number>> & Readonly<{ hold?: boolean }> = {},
) {
  const committed: number[][] = [];
  const gates: Gate[] = [];
  const failures: unknown[] = [];
  let active = 0;
  let activeMax = 0;
  const subject = new MessageBatcher<number>({
    sizeMax: 3,
    waitMilliseconds: 100,
    heldMax: 6,
    commit: async (batch) => {
      active++;
      activeMax = Math.max(activeMax, active);
      if (options.hold) await new Promise<void>((release) => gates.push({ release }));
      committed.push(batch);
      active--;
    },
    onFailure: (error) => failures.push(error),
    ...options,
  });
  return { subject, committed, gates, failures, activeMax: () => activeMax };
}

describe("MessageBatcher", () => {
  it("commits as soon as a batch is full", async () => {
    const { subject, committed } = batcher();
    for (const item of [1, 2, 3, 4]) subject.add(item);
    await vi.advanceTimersByTimeAsync(0);
    expect(committed).toEqual([[1, 2, 3]]);
    expect(subject.held).toBe(1);
  });

  it("commits a partial batch once its first item has waited long enough", async () => {
    const { subject, committed } = batcher();
    subject.add(1);
    await vi.advanceTimersByTimeAsync(60);
    subject.add(2);
    await vi.advanceTimersByTimeAsync(39);
    expect(committed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(committed).toEqual([[1, 2]]);
    subject.add(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(committed).toEqual([[1, 2], [3]]);
  });

  it("commits one batch at a time, in arrival order", async () => {
    const { subject, committed, gates, activeMax } = batcher({ hold: true });
    for (const item of [1, 2, 3, 4, 5, 6]) subject.add(item);
    await vi.advanceTimersByTimeAsync(0);
    expect(gates).toHaveLength(1);
    gates[0]?.release();
    await vi.advanceTimersByTimeAsync(0);
    gates[1]?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(committed).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(activeMax()).toBe(1);
  });

  it("has no room while it holds heldMax items, and says when it has again", async () => {
    const { subject, gates } = batcher({ hold: true });
    for (const item of [1, 2, 3, 4, 5]) subject.add(item);
    expect(subject.hasRoom()).toBe(true);
    subject.add(6);
    expect(subject.hasRoom()).toBe(false);
    let roomy = false;
    void subject.whenRoom().then(() => {
      roomy = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(roomy).toBe(false);
    gates[0]?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(roomy).toBe(true);
    expect(subject.held).toBe(3);
  });

  it("drains everything it holds without waiting for the timer", async () => {
    const { subject, committed } = batcher({ sizeMax: 2, heldMax: 10 });
    for (const item of [1, 2, 3, 4, 5]) subject.add(item);
    await subject.drain();
    expect(committed).toEqual([[1, 2], [3, 4], [5]]);
    expect(subject.held).toBe(0);
    expect(() => subject.add(6)).toThrow(/draining/);
  });

  it("abandons what waits, lets the commit in progress finish, and returns the rest", async () => {
    const { subject, committed, gates } = batcher({ hold: true });
    for (const item of [1, 2, 3, 4]) subject.add(item);
    await vi.advanceTimersByTimeAsync(0);
    const abandoned = subject.abandon();
    gates[0]?.release();
    expect(await abandoned).toEqual([4]);
    expect(committed).toEqual([[1, 2, 3]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(committed).toHaveLength(1);
  });

  it("stops at a failed commit and keeps the failed batch", async () => {
    const failure = new Error("disk full");
    const { subject, failures } = batcher({
      commit: async () => {
        throw failure;
      },
    });
    for (const item of [1, 2, 3, 4]) subject.add(item);
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toEqual([failure]);
    expect(subject.failed).toBe(true);
    expect(subject.held).toBe(4);
    expect(subject.hasRoom()).toBe(true);
    await expect(subject.drain()).rejects.toBe(failure);
    expect(() => subject.add(5)).toThrow(/failed commit/);
  });

  it("refuses limits that cannot work", () => {
    const commit = async () => undefined;
    const onFailure = () => undefined;
    const make = (sizeMax: number, heldMax: number) => () =>
      new MessageBatcher({ sizeMax, waitMilliseconds: 1, heldMax, commit, onFailure });
    expect(make(0, 1)).toThrow(/sizeMax/);
    expect(make(4, 3)).toThrow(/heldMax/);
  });
});
