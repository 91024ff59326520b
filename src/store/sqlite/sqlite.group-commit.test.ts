import { describe, expect, it } from "vitest";
import { GroupCommit } from "./sqlite.group-commit.js";

/** A transaction that records what it committed, and can be told to fail. */
function fakeTransactions() {
  const committed: number[][] = [];
  let open: number[] | undefined;
  let failNext = false;
  return {
    committed,
    failNext: () => {
      failNext = true;
    },
    transaction<Result>(body: () => Result): Result {
      open = [];
      const result = body();
      if (failNext) {
        failNext = false;
        open = undefined;
        throw new Error("disk full");
      }
      committed.push(open);
      open = undefined;
      return result;
    },
    write(input: number): string {
      if (input < 0) throw new Error(`bad input ${input}`);
      if (!open) throw new Error("written outside a transaction");
      open.push(input);
      return `stored ${input}`;
    },
  };
}

describe("group commit", () => {
  it("commits what is submitted in one turn in one transaction, in order", async () => {
    const fake = fakeTransactions();
    const group = new GroupCommit(fake.transaction, fake.write);
    const first = await Promise.all([1, 2, 3].map((input) => group.submit(input)));
    const second = await Promise.all([4, 5].map((input) => group.submit(input)));
    expect(first).toEqual(["stored 1", "stored 2", "stored 3"]);
    expect(second).toEqual(["stored 4", "stored 5"]);
    expect(fake.committed).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("answers nobody before the commit", async () => {
    const fake = fakeTransactions();
    const group = new GroupCommit(fake.transaction, fake.write);
    let answered = false;
    const pending = group.submit(1).then(() => {
      answered = true;
    });
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(fake.committed).toEqual([]);
    await pending;
    expect(fake.committed).toEqual([[1]]);
  });

  it("fails a bad input alone, and every input when the transaction fails", async () => {
    const fake = fakeTransactions();
    const group = new GroupCommit(fake.transaction, fake.write);
    const mixed = await Promise.allSettled([1, -1, 2].map((input) => group.submit(input)));
    expect(mixed.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(fake.committed).toEqual([[1, 2]]);

    fake.failNext();
    const failed = await Promise.allSettled([3, 4].map((input) => group.submit(input)));
    expect(failed).toEqual([
      { status: "rejected", reason: new Error("disk full") },
      { status: "rejected", reason: new Error("disk full") },
    ]);
    expect(fake.committed).toEqual([[1, 2]]);
  });

  it("commits what is pending when flushed, before the turn ends", async () => {
    const fake = fakeTransactions();
    const group = new GroupCommit(fake.transaction, fake.write);
    const pending = group.submit(7);
    group.flush();
    expect(fake.committed).toEqual([[7]]);
    await expect(pending).resolves.toBe("stored 7");
    group.flush();
    expect(fake.committed).toEqual([[7]]);
  });
});
