import { userInfo } from "node:os";
import type { AuditAction } from "../store/access.store.js";

/**
 * Who runs `civic` on this machine: the operating-system account, which is what an operator
 * with a shell is known by. The CLI takes no key: whoever may open the ledger's files or
 * database may run it, and the audit log names them all the same.
 */
export function operatorName(): string {
  try {
    return userInfo().username || "operator";
  } catch {
    return "operator";
  }
}

/**
 * The audit line of an admin action taken from the command line, as the API writes one for the
 * same action taken over HTTP: the actor is `cli:<account>`, and the details name the command.
 * The store stamps it with the action's own time.
 */
export function commandAuditLine(
  command: string,
  line: Readonly<{ action: string; target: string; details?: Readonly<Record<string, unknown>> }>,
): AuditAction {
  return {
    actor: `cli:${operatorName()}`,
    action: line.action,
    target: line.target,
    details: { command: `civic ${command}`, ...line.details },
  };
}
