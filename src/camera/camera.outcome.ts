import { type Outcome, type OutcomeKind, outcomeKinds } from "../core/outcome.js";

/**
 * What the gateway answers for one message: the ledger's outcome (DESIGN section 6), or its own
 * refusal when the topic names no registered camera.
 */
export type CameraOutcome = Outcome | Readonly<{ kind: "unknown_camera"; message: string }>;
export type CameraOutcomeKind = OutcomeKind | "unknown_camera";
export const cameraOutcomeKinds: readonly CameraOutcomeKind[] = [...outcomeKinds, "unknown_camera"];

/**
 * How the counters group outcomes: `malformed` is a message that is not a valid event (not JSON,
 * a bad field, too large); `refused` is a valid event the ledger or the gateway would not take.
 */
export const cameraResults = ["accepted", "duplicate", "refused", "malformed"] as const;
export type CameraResult = (typeof cameraResults)[number];

const malformedKinds: ReadonlySet<CameraOutcomeKind> = new Set<CameraOutcomeKind>([
  "malformed_json",
  "invalid_field",
  "too_large",
]);

export function cameraResultOf(kind: CameraOutcomeKind): CameraResult {
  if (kind === "accepted" || kind === "duplicate") return kind;
  return malformedKinds.has(kind) ? "malformed" : "refused";
}

/** The MQTT 5 PUBACK reason codes the gateway answers with (MQTT 5.0, section 3.4.2.1). */
export const pubackReasonCodes = {
  success: 0x00,
  implementationSpecificError: 0x83,
  notAuthorized: 0x87,
  payloadFormatInvalid: 0x99,
} as const;

/**
 * The PUBACK's reason code for an outcome. Every code acknowledges the message (the broker does
 * not send it again); a code of 0x80 or above tells the camera's operator that it was refused.
 */
export function pubackReasonCode(kind: CameraOutcomeKind): number {
  switch (cameraResultOf(kind)) {
    case "accepted":
    case "duplicate":
      return pubackReasonCodes.success;
    case "malformed":
      return pubackReasonCodes.payloadFormatInvalid;
    case "refused":
      return kind === "unknown_camera" || kind === "source_not_authorised_for_type"
        ? pubackReasonCodes.notAuthorized
        : pubackReasonCodes.implementationSpecificError;
  }
}

/**
 * The refusal's message as it may be logged: operator logs carry no subject ids (the ledger's
 * `unknown_subject` message names one).
 */
export function loggableMessage(outcome: CameraOutcome): string | undefined {
  if (outcome.kind === "accepted" || outcome.kind === "duplicate") return undefined;
  if (outcome.kind === "unknown_subject") return "no enrolled subject has the event's subject id";
  return outcome.message;
}
