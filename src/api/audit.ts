import type { FastifyInstance } from "fastify";
import type { AuditAction } from "../store/access.store.js";
import type { KeyPrincipal } from "./auth/principal.js";

/**
 * An admin action's audit line: who (name and public key id), what, on what, and details that
 * never hold a secret (keys and activation codes are shown once, never logged). Handed to the
 * store's action, which writes it in the action's own transaction, at the action's time.
 */
export function auditLine(
  principal: KeyPrincipal,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>> = {},
): AuditAction {
  return {
    actor: principal.name,
    action,
    target,
    details: { keyId: principal.keyId, ...details },
  };
}

/** Appends a line on its own: for an admin action that stores nothing else (a refusal, a what-if). */
export async function audit(
  app: FastifyInstance,
  principal: KeyPrincipal,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await app.dependencies.store.appendAudit({
    ...auditLine(principal, action, target, details),
    at: app.dependencies.clock(),
  });
}
