import { once } from "node:events";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL pages after which the writer checkpoints by itself: a safety net for when the background
 * checkpointer falls behind or stops. Its normal work keeps the WAL far smaller.
 */
export const writerCheckpointPagesMax = 16_384;

/**
 * Runs in a worker thread with its own connection: copies the WAL into the database file
 * (a PASSIVE checkpoint, which never blocks the writer) whenever the writer reports a commit.
 * With synchronous=NORMAL a commit does not fsync; the checkpoint's fsyncs then leave the
 * writer's thread entirely. Plain CommonJS so that it runs from the sources and from dist alike.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const database = new Database(workerData.path);
database.pragma("synchronous = NORMAL");
database.pragma("busy_timeout = 100");
let scheduled = false;
const checkpoint = () => {
  scheduled = false;
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // A busy or failed checkpoint is retried after the next commit; the writer's own
    // automatic checkpoint is the safety net.
  }
};
parentPort.on("message", (message) => {
  if (message === "checkpoint" && !scheduled) {
    scheduled = true;
    setImmediate(checkpoint);
  } else if (message === "stop") {
    database.close();
    parentPort.close();
  }
});
`;

/** Started on the first commit, so that a store opened only to read never spawns a thread. */
export class Checkpointer {
  private worker: Worker | undefined;
  private failed = false;

  constructor(private readonly path: string) {}

  /** Tells the worker that a transaction committed; cheap, never waits. */
  committed(): void {
    if (this.failed) return;
    this.worker ??= this.start();
    this.worker.postMessage("checkpoint");
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
      workerData: { path: this.path, driver: require.resolve("better-sqlite3") },
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
