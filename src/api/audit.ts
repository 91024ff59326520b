import type { FastifyInstance } from "fastify";
import type { AuditInput } from "../store/access.store.js";
import type { KeyPrincipal } from "./auth/principal.js";

/**
 * An admin action's audit line: who (name and public key id), what, on what, and details that
 * never hold a secret (keys and activation codes are shown once, never logged). Handed to the
 * store's action, which writes it in the action's own transaction.
 */
export function auditLine(
  app: FastifyInstance,
  principal: KeyPrincipal,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>> = {},
): AuditInput {
  return {
    actor: principal.name,
    action,
    target,
    at: app.dependencies.clock(),
    details: { keyId: principal.keyId, ...details },
  };
}

/** "1 subject", "3 subjects": an audit target that counts what an action touched. */
export function countedTarget(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Appends a line on its own: for an admin action that stores nothing else (a refusal, a what-if). */
export async function audit(
  app: FastifyInstance,
  principal: KeyPrincipal,
  action: string,
  target: string,
  details: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await app.dependencies.store.appendAudit(auditLine(app, principal, action, target, details));
}
