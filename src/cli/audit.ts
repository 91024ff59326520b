import { userInfo } from "node:os";
import type { AuditInput } from "../store/access.store.js";
import type { CliContext } from "./context.js";

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
 */
export function commandAuditLine(
  cli: Pick<CliContext, "clock">,
  command: string,
  line: Readonly<{ action: string; target: string; details?: Readonly<Record<string, unknown>> }>,
): AuditInput {
  return {
    actor: `cli:${operatorName()}`,
    action: line.action,
    target: line.target,
    at: cli.clock(),
    details: { command: `civic ${command}`, ...line.details },
  };
}
