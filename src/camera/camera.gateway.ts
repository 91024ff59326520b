import type { IPublishPacket } from "mqtt";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";
import { type CameraMessage, commitCameraBatch } from "./camera.commit.js";
import { BrokerConnection } from "./camera.connection.js";
import { CameraCounters, type CameraCounts } from "./camera.counters.js";
import { CameraDirectory } from "./camera.directory.js";
import { type GatewayLog, LogBudget, logRefusal } from "./camera.log.js";
import { decodeCameraPayload } from "./camera.message.js";
import { pubackReasonCode } from "./camera.outcome.js";
import { type GatewaySettings, type GatewayTuning, gatewaySettings } from "./camera.settings.js";
import { cameraOfTopic } from "./camera.topic.js";
import { MessageBatcher } from "./message.batcher.js";

export type CameraGatewayOptions = GatewayTuning &
  Readonly<{
    /** mqtt://host:1883 or mqtts://..., with user:password@ when the broker wants them. */
    url: string;
    store: LedgerStore;
    clock: () => Instant;
    log: GatewayLog;
    counters?: CameraCounters;
    commitRetryDelaysMilliseconds?: readonly number[];
  }>;

export type CameraGateway = Readonly<{
  counters: CameraCounters;
  /** Resolves once the first subscription is in place. */
  subscribed: Promise<void>;
  /**
   * Settles when the gateway has stopped: with the counters after `stop`, with the error when
   * it stopped on its own (a commit failed for good, the broker refused it).
   */
  stopped: Promise<CameraCounts>;
  /**
   * Stops receiving. `drain` (the default): commits and acknowledges the current batch first.
   * Without it, what waits is left unacknowledged, as a crash would: the broker sends it again.
   */
  stop(options?: Readonly<{ drain?: boolean }>): Promise<CameraCounts>;
}>;

/** A received message on its way to the ledger, and what acknowledging it needs. */
type Received = CameraMessage &
  Readonly<{
    messageId: number | undefined;
    /** QoS 1 messages are acknowledged after their commit; QoS 0 ones never are. */
    acknowledge: boolean;
    /** The connection it came on: its PUBACK is only valid there. */
    connection: unknown;
  }>;

/**
 * Subscribes to every camera's topic and feeds the ingest path in batches, each message as its
 * camera's source. A QoS 1 message is acknowledged only after its batch is committed, so a
 * crash loses nothing: the broker sends unacknowledged messages again, and the ledger answers
 * what was already committed as a duplicate.
 */
export function startCameraGateway(options: CameraGatewayOptions): CameraGateway {
  const gateway = new CameraGatewayProcess(options);
  return {
    counters: gateway.counters,
    subscribed: gateway.subscribed.promise,
    stopped: gateway.stopped.promise,
    stop: (stopOptions) => gateway.stop(stopOptions),
  };
}

class CameraGatewayProcess {
  readonly counters: CameraCounters;
  readonly subscribed = settlement<void>();
  readonly stopped = settlement<CameraCounts>();
  readonly #options: CameraGatewayOptions;
  readonly #settings: GatewaySettings;
  readonly #log: GatewayLog;
  readonly #directory: CameraDirectory;
  readonly #budget = new LogBudget();
  readonly #batcher: MessageBatcher<Received>;
  readonly #connection: BrokerConnection;
  readonly #reportTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #settled = false;
  #everSubscribed = false;
  #stopRun: Promise<CameraCounts> | undefined;

  constructor(options: CameraGatewayOptions) {
    this.#options = options;
    this.#settings = gatewaySettings(options);
    this.#log = options.log;
    this.counters = options.counters ?? new CameraCounters();
    this.#directory = new CameraDirectory(options.store);
    this.#batcher = new MessageBatcher<Received>({
      sizeMax: this.#settings.batchMessagesMax,
      waitMilliseconds: this.#settings.batchMilliseconds,
      heldMax: this.#settings.heldMax,
      commit: (batch) => this.#commit(batch),
      onFailure: (error) => this.#fail(error),
    });
    this.#connection = new BrokerConnection({
      url: options.url,
      settings: this.#settings,
      log: this.#log,
      counters: this.counters,
      onMessage: (topic, payload, packet, readOn) => this.#receive(topic, payload, packet, readOn),
      onSubscribed: () => {
        this.#everSubscribed = true;
        this.subscribed.resolve();
      },
      onRefused: (refusal) => this.#fail(refusal),
    });
    const { reportMilliseconds } = this.#settings;
    this.#reportTimer =
      reportMilliseconds > 0 ? setInterval(() => this.#report(), reportMilliseconds) : undefined;
    this.#reportTimer?.unref();
    this.#connection.connect();
  }

  #receive(topic: string, payload: Buffer, packet: IPublishPacket, readOn: () => void): void {
    // Left unacknowledged while stopping: the broker sends it again to the next gateway.
    if (this.#stopping) {
      readOn();
      return;
    }
    this.counters.received();
    this.#batcher.add({
      camera: cameraOfTopic(topic, this.#settings.topicPrefix),
      decoded: decodeCameraPayload(payload, this.#settings.messageBytesMax),
      messageId: packet.messageId,
      acknowledge: packet.qos === 1,
      connection: this.#connection.current,
    });
    // Backpressure: the connection reads on only while the batcher has room.
    if (this.#batcher.hasRoom()) readOn();
    else void this.#batcher.whenRoom().then(readOn);
  }

  async #commit(batch: Received[]): Promise<void> {
    const started = performance.now();
    const { store, clock, commitRetryDelaysMilliseconds } = this.#options;
    const outcomes = await commitCameraBatch(batch, {
      store,
      directory: this.#directory,
      clock,
      retryDelaysMilliseconds: commitRetryDelaysMilliseconds,
      onRetry: (error, { cameraId, attempt }) =>
        this.#log.warn(
          { err: error, camera: cameraId, attempt },
          "commit failed; trying again (nothing of it was stored)",
        ),
    });
    this.counters.batchCommitted((performance.now() - started) / 1_000);
    const now = clock();
    let withheld = 0;
    batch.forEach((message, index) => {
      const outcome = outcomes[index];
      if (!outcome) throw new Error(`message ${index} of the batch got no outcome`);
      this.counters.decided(outcome);
      logRefusal(this.#log, this.#budget, { message, outcome, now });
      if (!message.acknowledge || message.messageId === undefined) return;
      const code = pubackReasonCode(outcome.kind);
      if (!this.#connection.acknowledge(message.messageId, code, message.connection)) withheld++;
    });
    this.counters.acknowledgementsWithheld(withheld);
    this.#log.debug({ messages: batch.length, withheld }, "batch committed");
  }

  #report(): void {
    this.#log.info({ counters: this.counters.snapshot() }, "camera gateway counters");
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#stopping = true;
    clearInterval(this.#reportTimer);
    if (!this.#everSubscribed) this.subscribed.reject(error);
    // Nothing uncommitted is acknowledged: the broker keeps it for the next gateway.
    void this.#batcher.abandon();
    void this.#connection.close({ force: true }).finally(() => {
      this.#log.error(
        { err: error, counters: this.counters.snapshot() },
        "camera gateway stopped: unacknowledged messages stay with the broker",
      );
      this.stopped.reject(error);
    });
  }

  stop({ drain = true }: Readonly<{ drain?: boolean }> = {}): Promise<CameraCounts> {
    if (this.#settled) return this.stopped.promise;
    this.#stopRun ??= this.#stop(drain);
    return this.#stopRun;
  }

  async #stop(drain: boolean): Promise<CameraCounts> {
    this.#stopping = true;
    clearInterval(this.#reportTimer);
    let abandoned = 0;
    try {
      if (drain) await this.#batcher.drain();
      else abandoned = (await this.#batcher.abandon()).length;
    } catch {
      // #fail has settled `stopped` with the error.
      return this.stopped.promise;
    }
    await this.#connection.close({ force: !drain });
    this.#settled = true;
    const counts = this.counters.snapshot();
    this.#log.info(
      { counters: counts, abandoned },
      abandoned > 0
        ? `camera gateway stopped; ${abandoned} uncommitted messages left to the broker`
        : "camera gateway stopped",
    );
    this.stopped.resolve(counts);
    return counts;
  }
}

type Settlement<T> = Readonly<{
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}>;

/** A promise settled from outside; an unawaited rejection is not an unhandled one. */
function settlement<T>(): Settlement<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((resolvePromise, rejectPromise) => {
    resolve = resolvePromise;
    reject = rejectPromise;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
