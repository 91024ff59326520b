import { describe, expect, it } from "vitest";
import { BatchBuffer } from "./worker.buffer.js";
import { HeldMessages } from "./worker.held.js";

describe("BatchBuffer", () => {
  it("answers a full batch at once, else what arrived within the wait", async () => {
    const buffer = new BatchBuffer<number>(10);
    for (let item = 0; item < 5; item++) buffer.offer(item);
    expect(await buffer.take(3, 10_000)).toEqual([0, 1, 2]);
    const started = Date.now();
    expect(await buffer.take(3, 30)).toEqual([3, 4]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("waits for the first item, then wakes when the batch fills", async () => {
    const buffer = new BatchBuffer<number>(10);
    const taken = buffer.take(2, 10_000);
    buffer.offer(1);
    setTimeout(() => buffer.offer(2), 5);
    expect(await taken).toEqual([1, 2]);
  });

  it("refuses items beyond its bound and after close, and ends waits on close", async () => {
    const buffer = new BatchBuffer<number>(2);
    expect(buffer.offer(1)).toBe(true);
    expect(buffer.offer(2)).toBe(true);
    expect(buffer.offer(3)).toBe(false);
    expect(await buffer.take(5, 10)).toEqual([1, 2]);
    const waiting = buffer.take(5, 10_000);
    buffer.close();
    expect(await waiting).toEqual([]);
    expect(buffer.offer(4)).toBe(false);
    expect(() => new BatchBuffer(0)).toThrow(/positive/);
  });
});

describe("HeldMessages", () => {
  const message = (seq: number) => ({ seq, working: () => touched.push(seq) });
  let touched: number[] = [];

  it("refuses a copy of a message it holds, until the first is released", () => {
    const held = new HeldMessages(3_000);
    const first = message(7);
    expect(held.hold(first, 0)).toBe(true);
    expect(held.hold(message(7), 10)).toBe(false);
    held.release([first]);
    expect(held.hold(message(7), 20)).toBe(true);
    expect(held.size).toBe(1);
  });

  it("announces only the messages held for a third of the ack wait, each once per third", () => {
    touched = [];
    const held = new HeldMessages(3_000);
    held.hold(message(1), 0);
    held.hold(message(2), 900);
    expect(held.tickMilliseconds).toBe(500);
    expect(held.keepAlive(500)).toBe(0);
    expect(held.keepAlive(1_000)).toBe(1);
    expect(touched).toEqual([1]);
    expect(held.keepAlive(1_500)).toBe(0);
    expect(held.keepAlive(2_000)).toBe(2);
    expect(touched).toEqual([1, 1, 2]);
    expect(() => new HeldMessages(999)).toThrow(/at least 1,000 ms/);
  });
});

describe("BatchBuffer by weight", () => {
  it("takes whole items up to the batch weight, at least one however heavy", async () => {
    const buffer = new BatchBuffer<number>(200, (item) => item);
    for (const item of [30, 30, 30, 50]) buffer.offer(item);
    expect(await buffer.take(60, 0)).toEqual([30, 30]);
    expect(await buffer.take(60, 0)).toEqual([30]);
    expect(buffer.offer(160)).toBe(false);
    expect(await buffer.take(10, 0)).toEqual([50]);
  });

  it("makes put wait for room, and answers false once closed", async () => {
    const buffer = new BatchBuffer<number>(2);
    buffer.offer(1);
    buffer.offer(2);
    let placed = false;
    const put = buffer.put(3).then((result) => {
      placed = result;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(placed).toBe(false);
    expect(await buffer.take(1, 0)).toEqual([1]);
    await put;
    expect(placed).toBe(true);
    const blocked = buffer.put(4);
    buffer.close();
    expect(await blocked).toBe(false);
  });
});
