import { createHash } from "node:crypto";
import { type ConductEvent, canonicalPayload } from "../core/event.js";

/** 22 base64url characters: 132 bits of SHA-256, far beyond any chance collision. */
export const payloadHashLength = 22;

/** Tells two reports with the same id apart: equal hashes mean the same report. */
export function payloadHash(event: ConductEvent): string {
  return createHash("sha256")
    .update(canonicalPayload(event))
    .digest("base64url")
    .slice(0, payloadHashLength);
}
