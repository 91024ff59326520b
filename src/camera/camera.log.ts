import type { Logger } from "pino";
import { type Instant, millisecondsPerMinute } from "../core/time.js";
import type { CameraMessage } from "./camera.commit.js";
import { type CameraOutcome, cameraResultOf, loggableMessage } from "./camera.outcome.js";

/** What the gateway logs through: a pino logger (JSON lines) or anything with its methods. */
export type GatewayLog = Pick<Logger, "debug" | "info" | "warn" | "error">;

/** Refused and malformed messages logged one line each, at most this many per minute. */
export const refusalLinesPerMinuteMax = 100;

/**
 * At most `linesMax` lines per window: a camera sending garbage at 1,000 messages a second must
 * not bury the log (the counters still count every message).
 */
export class LogBudget {
  #windowStart = Number.NEGATIVE_INFINITY;
  #used = 0;
  #heldBack = 0;

  constructor(
    private readonly linesMax: number = refusalLinesPerMinuteMax,
    private readonly windowMilliseconds: number = millisecondsPerMinute,
  ) {}

  /** Whether one more line may be written at `now`, and how many the last window held back. */
  take(now: Instant): Readonly<{ allowed: boolean; heldBack: number }> {
    let heldBack = 0;
    if (now - this.#windowStart >= this.windowMilliseconds) {
      heldBack = this.#heldBack;
      this.#windowStart = now;
      this.#used = 0;
      this.#heldBack = 0;
    }
    if (this.#used < this.linesMax) {
      this.#used++;
      return { allowed: true, heldBack };
    }
    this.#heldBack++;
    return { allowed: false, heldBack };
  }
}

/** One line for a refused or malformed message: the camera, the event id, why; no subject id. */
export function logRefusal(
  log: GatewayLog,
  budget: LogBudget,
  {
    message,
    outcome,
    now,
  }: Readonly<{ message: CameraMessage; outcome: CameraOutcome; now: Instant }>,
): void {
  const text = loggableMessage(outcome);
  if (text === undefined) return;
  const { allowed, heldBack } = budget.take(now);
  if (heldBack > 0) {
    log.warn({ heldBack }, `${heldBack} refused messages were not logged in the last minute`);
  }
  if (!allowed) return;
  const camera = message.camera.ok ? message.camera.cameraId : undefined;
  const event = "event" in message.decoded ? message.decoded.event.id : undefined;
  log.warn(
    { camera, event, result: cameraResultOf(outcome.kind), outcome: outcome.kind },
    `camera message ${cameraResultOf(outcome.kind)}: ${text}`,
  );
}
