import type { FastifyRequest } from "fastify";
import type { Instant } from "../../core/time.js";
import {
  type AccessStore,
  type CredentialRole,
  roles as credentialRoles,
} from "../../store/access.store.js";
import { ApiError } from "../errors.js";
import { parseKey, secretMatches } from "./secrets.js";
import { sessionCookieName, verifySessionToken } from "./session.js";

/** Every role a caller can have; a citizen signed in is a `subject`. */
export const principalRoles = ["anonymous", "subject", ...credentialRoles] as const;
export type Role = (typeof principalRoles)[number];

/** Who is asking: resolved once per request from the bearer key, session token or cookie. */
export type Principal =
  | Readonly<{ role: "anonymous" }>
  | Readonly<{ role: "subject"; subjectId: string }>
  | KeyPrincipal;

/** A caller with an API key: a source, partner, reviewer or admin, by name. */
export type KeyPrincipal<R extends CredentialRole = CredentialRole> = Readonly<{
  role: R;
  name: string;
  keyId: string;
}>;

/** The principal `requireRole` answers for a list of roles. */
export type PrincipalOfRole<R extends Role> = R extends CredentialRole
  ? KeyPrincipal<R>
  : Extract<Principal, { role: R }>;

export const anonymous: Principal = { role: "anonymous" };

export async function resolvePrincipal(
  request: FastifyRequest,
  context: Readonly<{ store: AccessStore; sessionSecret: Buffer; now: Instant }>,
): Promise<Principal> {
  const header = request.headers.authorization;
  const cookies = request.headers.cookie;
  const cookie =
    cookies === undefined ? undefined : request.server.parseCookie(cookies)[sessionCookieName];
  if (header === undefined && cookie === undefined) return anonymous;
  const token = header === undefined ? cookie : bearer(header);
  if (token === undefined)
    throw new ApiError("unauthenticated", "use `Authorization: Bearer <key or token>`");
  if (header === undefined) {
    // The cookie holds only session tokens. A stale one must not lock the browser out of
    // signing in again (or out): an invalid cookie is no credential at all, not a wrong one.
    const subjectId = verifySessionToken(token, context.now, context.sessionSecret);
    return subjectId === undefined ? anonymous : { role: "subject", subjectId };
  }
  if (token.startsWith("ccs_")) {
    const subjectId = verifySessionToken(token, context.now, context.sessionSecret);
    if (subjectId === undefined) {
      throw new ApiError("unauthenticated", "the session is invalid or has expired", {
        reason: "session_invalid",
      });
    }
    return { role: "subject", subjectId };
  }
  const parsed = parseKey(token);
  const credential = parsed ? await context.store.credential(parsed.keyId) : undefined;
  // The same answer for an unknown id, a wrong secret and a revoked key.
  if (
    !parsed ||
    !credential ||
    !secretMatches(parsed.secret, credential.secretHash) ||
    credential.revokedAt !== undefined
  ) {
    throw new ApiError("unauthenticated", "the key is invalid or has been revoked");
  }
  return { role: credential.role, name: credential.principal, keyId: credential.keyId };
}

function bearer(header: string): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  return match?.[1];
}

/**
 * Asserts the principal has one of `roles`; anonymous callers get 401, others 403 naming the
 * roles the route accepts (`acceptedRoles`), so that a client sees which credential it needs.
 */
export function requireRole<R extends Role>(
  principal: Principal,
  roles: readonly R[],
): PrincipalOfRole<R> {
  if ((roles as readonly Role[]).includes(principal.role)) return principal as PrincipalOfRole<R>;
  // In the browser, a session cookie that has expired counts as none: this is what it meets.
  if (principal.role === "anonymous") {
    throw new ApiError("unauthenticated", "this route needs credentials", {
      reason: "credentials_missing",
    });
  }
  throw new ApiError(
    "forbidden",
    `the role '${principal.role}' may not use this route; it accepts ${roles.map((role) => `'${role}'`).join(", ")}`,
    { acceptedRoles: [...roles] },
  );
}
