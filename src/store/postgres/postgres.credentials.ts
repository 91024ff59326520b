import type { Instant } from "../../core/time.js";
import type { CredentialInput, CredentialRecord, CredentialRole } from "../access.store.js";
import { checkCredential } from "../checks.js";
import { row, rows, type Sql } from "./postgres.connection.js";

type CredentialRow = {
  key_id: string;
  secret_hash: string;
  role: CredentialRole;
  principal: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
};

const columns = "key_id, secret_hash, role, principal, created_at, created_by, revoked_at";

/** API keys: stored by public key id with the hash of their secret, revoked at most once. */
export class CredentialRegistry {
  /** Key ids are random: a taken one is a programmer error, as is a malformed input. */
  async create(sql: Sql, input: CredentialInput): Promise<CredentialRecord> {
    const problem = checkCredential(input);
    if (problem) throw new Error(`invalid credential: ${problem}`);
    const { keyId, secretHash, role, principal, createdAt, createdBy } = input;
    const inserted = await sql.query(
      `INSERT INTO credentials (key_id, secret_hash, role, principal, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_id) DO NOTHING`,
      [keyId, secretHash, role, principal, createdAt, createdBy],
    );
    if (inserted.rowCount === 0) throw new Error(`a credential with key id '${keyId}' exists`);
    return { keyId, secretHash, role, principal, createdAt, createdBy, revokedAt: undefined };
  }

  async credential(sql: Sql, keyId: string): Promise<CredentialRecord | undefined> {
    const found = await row<CredentialRow>(
      sql,
      `SELECT ${columns} FROM credentials WHERE key_id = $1`,
      [keyId],
    );
    return found && toRecord(found);
  }

  async credentials(sql: Sql): Promise<CredentialRecord[]> {
    const found = await rows<CredentialRow>(
      sql,
      `SELECT ${columns} FROM credentials ORDER BY created_at, key_id COLLATE "C"`,
    );
    return found.map(toRecord);
  }

  /** False when the key is unknown or already revoked; the first revocation time stays. */
  async revokeAt(sql: Sql, keyId: string, at: Instant): Promise<boolean> {
    if (!Number.isFinite(at)) throw new Error(`cannot revoke a credential at ${at}`);
    const revoked = await sql.query(
      "UPDATE credentials SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL",
      [at, keyId],
    );
    return revoked.rowCount === 1;
  }
}

function toRecord(found: CredentialRow): CredentialRecord {
  return {
    keyId: found.key_id,
    secretHash: found.secret_hash,
    role: found.role,
    principal: found.principal,
    createdAt: found.created_at,
    createdBy: found.created_by,
    revokedAt: found.revoked_at ?? undefined,
  };
}
