import { setTimeout as sleepFor } from "node:timers/promises";
import { type BatchItem, batchEventsMax } from "../core/batch.js";
import type { Instant } from "../core/time.js";
import { type EarlyRefusal, ingestDecoded } from "../ingest/ingest.service.js";
import type { LedgerStore } from "../store/store.js";
import type { CameraDirectory } from "./camera.directory.js";
import type { CameraOutcome } from "./camera.outcome.js";
import type { TopicCamera } from "./camera.topic.js";

/**
 * Waits before the second, third and fourth attempt at a camera's commit that failed with an
 * operating error (a locked database, a lost connection); then the failure stands.
 */
export const commitRetryDelaysMillisecondsDefault: readonly number[] = [250, 1_000, 4_000];

/** One received message, decoded on arrival. */
export type CameraMessage = Readonly<{
  camera: TopicCamera;
  decoded: BatchItem | EarlyRefusal;
}>;

export type CommitOptions = Readonly<{
  store: LedgerStore;
  directory: CameraDirectory;
  clock: () => Instant;
  retryDelaysMilliseconds?: readonly number[];
  onRetry?: (error: unknown, context: Readonly<{ cameraId: string; attempt: number }>) => void;
}>;

/**
 * Decides every message of a batch, one outcome per message in order. The store takes one
 * source per call, so the batch is split by camera; each camera's events commit whole through
 * the one ingest path (validation, idempotency, authorisation, the confidence gate). When this
 * returns, every accepted event is committed. It throws when a commit failed for good: the
 * cameras before it are committed, the rest not, and a redelivery answers the former as
 * duplicates.
 */
export async function commitCameraBatch(
  messages: readonly CameraMessage[],
  options: CommitOptions,
): Promise<CameraOutcome[]> {
  if (messages.length > batchEventsMax) {
    throw new Error(`a batch of ${messages.length} messages exceeds ${batchEventsMax}`);
  }
  const outcomes: CameraOutcome[] = new Array(messages.length);
  const positionsByCamera = new Map<string, number[]>();
  messages.forEach(({ camera }, position) => {
    if (!camera.ok) {
      outcomes[position] = { kind: "unknown_camera", message: camera.message };
      return;
    }
    const positions = positionsByCamera.get(camera.cameraId) ?? [];
    positions.push(position);
    positionsByCamera.set(camera.cameraId, positions);
  });
  for (const [cameraId, positions] of positionsByCamera) {
    const items = positions.map((position) => (messages[position] as CameraMessage).decoded);
    const decided = await withRetries(() => commitCamera(cameraId, items, options), {
      ...options,
      cameraId,
    });
    decided.forEach((outcome, index) => {
      outcomes[positions[index] as number] = outcome;
    });
  }
  for (let position = 0; position < outcomes.length; position++) {
    if (outcomes[position] === undefined) throw new Error(`message ${position} got no outcome`);
  }
  return outcomes;
}

/** One camera's messages through the ingest path, in one commit. */
async function commitCamera(
  cameraId: string,
  items: readonly (BatchItem | EarlyRefusal)[],
  { store, directory, clock }: CommitOptions,
): Promise<CameraOutcome[]> {
  const lookup = await directory.lookUp(cameraId, clock());
  if (!lookup.ok) return items.map(() => ({ kind: "unknown_camera", message: lookup.message }));
  const outcomes: CameraOutcome[] = new Array(items.length);
  await ingestDecoded(
    items.map((decoded, position) => ({ position, decoded })),
    {
      store,
      source: lookup.source,
      clock,
      batchSize: Math.max(1, items.length),
      onOutcome: (position, outcome) => {
        outcomes[position] = outcome;
      },
    },
  );
  return outcomes;
}

async function withRetries<T>(
  attempt: () => Promise<T>,
  {
    cameraId,
    retryDelaysMilliseconds = commitRetryDelaysMillisecondsDefault,
    onRetry,
  }: CommitOptions & Readonly<{ cameraId: string }>,
): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryDelaysMilliseconds[attempts - 1];
      // A bug fails the same way again: only operating errors (they carry a code) are retried.
      if (delay === undefined || !isOperatingError(error)) throw error;
      onRetry?.(error, { cameraId, attempt: attempts });
      await sleepFor(delay);
    }
  }
}

/** SQLite, PostgreSQL and system errors name a code (SQLITE_BUSY, 57P01, ECONNRESET); bugs do not. */
export function isOperatingError(error: unknown): boolean {
  return typeof (error as { code?: unknown } | undefined)?.code === "string";
}
