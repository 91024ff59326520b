import { once } from "node:events";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL pages after which the writer checkpoints by itself: a safety net for when the background
 * checkpointer falls behind or stops. Its normal work keeps the WAL far smaller.
 */
export const writerCheckpointPagesMax = 16_384;

/**
 * How often the worker looks whether anything was committed. Small commits (a group of partner
 * lookups' inquiries) come by the hundred per second: one checkpoint, with its fsyncs, for each
 * would cost more CPU than the lookups. With synchronous=NORMAL a commit survives a crash of the
 * process at once; a power loss may take the commits of this last interval.
 */
export const checkpointIntervalMilliseconds = 20;

/**
 * Runs in a worker thread with its own connection: copies the WAL into the database file
 * (a PASSIVE checkpoint, which never blocks the writer) when the writer's commit counter moved
 * since the last look. With synchronous=NORMAL a commit does not fsync; the checkpoint's fsyncs
 * then leave the writer's thread entirely. The counter is shared memory, so that a commit costs
 * the writer one atomic add, not a message. Plain CommonJS so that it runs from the sources and
 * from dist alike.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const database = new Database(workerData.path);
database.pragma("synchronous = NORMAL");
database.pragma("busy_timeout = 100");
const commits = new Int32Array(workerData.commits);
let checkpointed = 0;
const timer = setInterval(() => {
  const committed = Atomics.load(commits, 0);
  if (committed === checkpointed) return;
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
    checkpointed = committed;
  } catch {
    // A busy or failed checkpoint is tried again at the next look; the writer's own
    // automatic checkpoint is the safety net.
  }
}, workerData.intervalMilliseconds);
parentPort.on("message", (message) => {
  if (message === "stop") {
    clearInterval(timer);
    database.close();
    parentPort.close();
  }
});
`;

/** Started on the first commit, so that a store opened only to read never spawns a thread. */
export class Checkpointer {
  private worker: Worker | undefined;
  private failed = false;
  /** Commits so far (wrapping around), shared with the worker. */
  private readonly commits = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly path: string) {}

  /** Tells the worker that a transaction committed; one atomic add, never waits. */
  committed(): void {
    if (this.failed) return;
    this.worker ??= this.start();
    Atomics.add(this.commits, 0, 1);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker || this.failed) return;
    const exited = once(worker, "exit").catch(() => undefined);
    // Awaiting an unref'd worker would let Node exit mid-close (code 13): hold the process
    // open until the worker has closed its connection.
    worker.ref();
    worker.postMessage("stop");
    await exited;
  }

  private start(): Worker {
    const require = createRequire(import.meta.url);
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        path: this.path,
        driver: require.resolve("better-sqlite3"),
        commits: this.commits.buffer,
        intervalMilliseconds: checkpointIntervalMilliseconds,
      },
    });
    // A store left open must not keep the process alive for its checkpointer's sake.
    worker.unref();
    // Without the worker, the writer's own automatic checkpoints keep the WAL bounded.
    worker.on("error", () => {
      this.failed = true;
    });
    return worker;
  }
}
