import { createHmac } from "node:crypto";
import type { Instant } from "../../core/time.js";
import { constantTimeEqual } from "./secrets.js";

/** How long a citizen's sign-in lasts. */
export const sessionMilliseconds = 12 * 60 * 60 * 1000;
export const sessionCookieName = "civic_session";

/**
 * A stateless session token `ccs_<subject>.<expiresAt>.<mac>`, signed with the server's session
 * secret (kept in the data folder). It names the subject and nothing else.
 */
export function issueSessionToken(subjectId: string, expiresAt: Instant, secret: Buffer): string {
  const body = `${Buffer.from(subjectId).toString("base64url")}.${expiresAt}`;
  return `ccs_${body}.${mac(body, secret)}`;
}

export function verifySessionToken(
  token: string,
  now: Instant,
  secret: Buffer,
): string | undefined {
  const match = /^ccs_([A-Za-z0-9_-]{1,128})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, subject, expiresAt, signature] = match as unknown as [string, string, string, string];
  if (!constantTimeEqual(mac(`${subject}.${expiresAt}`, secret), signature)) return undefined;
  if (Number(expiresAt) <= now) return undefined;
  return Buffer.from(subject, "base64url").toString("utf8");
}

function mac(body: string, secret: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}
