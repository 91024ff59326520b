import type { FastifyInstance } from "fastify";
import type { KeyPrincipal } from "./auth/principal.js";

/**
 * Appends an admin action to the audit log: who (name and public key id), what, on what, and
 * details that never hold a secret (keys and activation codes are shown once, never logged).
 */
export async function audit(
  app: FastifyInstance,
  principal: KeyPrincipal,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await app.dependencies.store.appendAudit({
    actor: principal.name,
    action,
    target,
    at: app.dependencies.clock(),
    details: { keyId: principal.keyId, ...details },
  });
}
