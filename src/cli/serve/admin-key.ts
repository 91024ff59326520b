import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { issueKey } from "../../api/auth/secrets.js";
import type { Instant } from "../../core/time.js";
import type { AccessStore, CredentialRecord } from "../../store/access.store.js";
import type { AuditLine } from "../../store/store.js";

/** The name the first admin credential acts under in the audit log. */
export const firstAdminName = "admin";

export function adminKeyPath(dataDirectory: string): string {
  return join(dataDirectory, "admin-key.txt");
}

/**
 * When no admin key is live (a fresh data folder, or every admin key revoked), issues one,
 * stores only its hash, and writes the key once to `<data>/admin-key.txt` (mode 0600).
 * Returns the file's path when a key was issued.
 */
export async function ensureAdminKey(
  store: AccessStore,
  context: Readonly<{
    dataDirectory: string;
    at: Instant;
    audit?: AuditLine<CredentialRecord>;
  }>,
): Promise<string | undefined> {
  const credentials = await store.credentials();
  const live = credentials.some(
    (credential) => credential.role === "admin" && credential.revokedAt === undefined,
  );
  if (live) return undefined;
  const issued = issueKey();
  const path = adminKeyPath(context.dataDirectory);
  // The file first: a key stored but never written down would lock the operator out.
  await writeFile(path, `${issued.key}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  await store.createCredential(
    {
      keyId: issued.keyId,
      secretHash: issued.secretHash,
      role: "admin",
      principal: firstAdminName,
      createdAt: context.at,
      createdBy: "civic serve",
    },
    context.audit,
  );
  return path;
}
