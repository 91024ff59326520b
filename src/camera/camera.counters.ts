import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { type CameraOutcome, cameraResultOf } from "./camera.outcome.js";

/**
 * The gateway's counters since it started. Once nothing is in flight,
 * received = accepted + duplicate + refused + malformed; a broker redelivery is received again
 * and answered as a duplicate, never accepted twice.
 */
export type CameraCounts = {
  received: number;
  accepted: number;
  /** Of the accepted: attributions below the rulebook's confidence threshold, held for review. */
  pendingReview: number;
  duplicate: number;
  refused: number;
  malformed: number;
};

/** The counters, kept as numbers for the periodic line and as Prometheus metrics in `registry`. */
export class CameraCounters {
  readonly registry: Registry;
  readonly #counts: CameraCounts = {
    received: 0,
    accepted: 0,
    pendingReview: 0,
    duplicate: 0,
    refused: 0,
    malformed: 0,
  };
  readonly #received: Counter;
  readonly #messages: Counter<"result" | "outcome">;
  readonly #pendingReview: Counter;
  readonly #batchSeconds: Histogram;
  readonly #acknowledgementsWithheld: Counter;
  readonly #connected: Gauge;
  readonly #connections: Counter;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.#received = new Counter({
      name: "civic_camera_messages_received_total",
      help: "Messages received on camera topics, redeliveries included",
      registers,
    });
    this.#messages = new Counter({
      name: "civic_camera_messages_total",
      help: "Messages decided, by result (accepted, duplicate, refused, malformed) and outcome",
      labelNames: ["result", "outcome"] as const,
      registers,
    });
    this.#pendingReview = new Counter({
      name: "civic_camera_entries_pending_review_total",
      help: "Accepted attributions below the confidence threshold, held for a reviewer",
      registers,
    });
    this.#batchSeconds = new Histogram({
      name: "civic_camera_batch_seconds",
      help: "Time to commit one batch of messages",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.#acknowledgementsWithheld = new Counter({
      name: "civic_camera_acknowledgements_withheld_total",
      help: "Committed messages not acknowledged because their connection was lost; the broker sends them again",
      registers,
    });
    this.#connected = new Gauge({
      name: "civic_camera_broker_connected",
      help: "1 while connected to the MQTT broker",
      registers,
    });
    this.#connections = new Counter({
      name: "civic_camera_broker_connections_total",
      help: "Connections made to the MQTT broker (the first and every reconnection)",
      registers,
    });
  }

  received(): void {
    this.#counts.received++;
    this.#received.inc();
  }

  decided(outcome: CameraOutcome): void {
    const result = cameraResultOf(outcome.kind);
    this.#counts[result]++;
    this.#messages.inc({ result, outcome: outcome.kind });
    if (outcome.kind === "accepted" && outcome.status === "pending_review") {
      this.#counts.pendingReview++;
      this.#pendingReview.inc();
    }
  }

  batchCommitted(seconds: number): void {
    this.#batchSeconds.observe(seconds);
  }

  acknowledgementsWithheld(count: number): void {
    if (count > 0) this.#acknowledgementsWithheld.inc(count);
  }

  connection(connected: boolean): void {
    this.#connected.set(connected ? 1 : 0);
    if (connected) this.#connections.inc();
  }

  snapshot(): CameraCounts {
    return { ...this.#counts };
  }
}

/** `received 12, accepted 3 (1 pending review), duplicate 1, refused 3, malformed 5` */
export function formatCameraCounts(counts: CameraCounts): string {
  return `received ${counts.received}, accepted ${counts.accepted} (${counts.pendingReview} pending review), duplicate ${counts.duplicate}, refused ${counts.refused}, malformed ${counts.malformed}`;
}
