import type Database from "better-sqlite3";
import type { Instant } from "../../core/time.js";
import {
  type CredentialInput,
  type CredentialRecord,
  type CredentialRole,
  roles,
} from "../access.store.js";

/** Longest key id, principal and creator name a credential may carry. */
export const credentialKeyIdLengthMax = 64;
export const credentialNameLengthMax = 200;

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
  private readonly selectOne;
  private readonly selectAll;
  private readonly insert;
  private readonly revoke;

  constructor(database: Database.Database) {
    this.selectOne = database.prepare<[string], CredentialRow>(
      `SELECT ${columns} FROM credentials WHERE key_id = ?`,
    );
    this.selectAll = database.prepare<[], CredentialRow>(
      `SELECT ${columns} FROM credentials ORDER BY created_at, key_id`,
    );
    this.insert = database.prepare<[string, string, CredentialRole, string, Instant, string]>(
      `INSERT INTO credentials (key_id, secret_hash, role, principal, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING`,
    );
    this.revoke = database.prepare<[Instant, string]>(
      "UPDATE credentials SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
    );
  }

  /** Key ids are random: a taken one is a programmer error, as is a malformed input. */
  create(input: CredentialInput): CredentialRecord {
    const problem = checkCredential(input);
    if (problem) throw new Error(`invalid credential: ${problem}`);
    const { keyId, secretHash, role, principal, createdAt, createdBy } = input;
    const inserted = this.insert.run(keyId, secretHash, role, principal, createdAt, createdBy);
    if (inserted.changes === 0) throw new Error(`a credential with key id '${keyId}' exists`);
    return { keyId, secretHash, role, principal, createdAt, createdBy, revokedAt: undefined };
  }

  credential(keyId: string): CredentialRecord | undefined {
    const row = this.selectOne.get(keyId);
    return row && toRecord(row);
  }

  credentials(): CredentialRecord[] {
    return this.selectAll.all().map(toRecord);
  }

  /** False when the key is unknown or already revoked; the first revocation time stays. */
  revokeAt(keyId: string, at: Instant): boolean {
    if (!Number.isFinite(at)) throw new Error(`cannot revoke a credential at ${at}`);
    return this.revoke.run(at, keyId).changes === 1;
  }
}

function checkCredential(input: CredentialInput): string | undefined {
  if (input.keyId.length === 0 || input.keyId.length > credentialKeyIdLengthMax) {
    return `a key id must have 1 to ${credentialKeyIdLengthMax} characters`;
  }
  if (input.secretHash.length === 0) return "a credential needs the hash of its secret";
  if (!(roles as readonly string[]).includes(input.role)) return `unknown role '${input.role}'`;
  for (const name of [input.principal, input.createdBy]) {
    if (name.trim().length === 0 || name.length > credentialNameLengthMax) {
      return `principal and creator must have 1 to ${credentialNameLengthMax} characters`;
    }
  }
  if (!Number.isFinite(input.createdAt)) return "a credential needs a valid creation time";
  return undefined;
}

function toRecord(row: CredentialRow): CredentialRecord {
  return {
    keyId: row.key_id,
    secretHash: row.secret_hash,
    role: row.role,
    principal: row.principal,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at ?? undefined,
  };
}
