import type Database from "better-sqlite3";
import type { Instant } from "../../core/time.js";
import type { CredentialInput, CredentialRecord, CredentialRole } from "../access.store.js";
import { checkCredential } from "../checks.js";
import { type ForeignCommits, ReadCache } from "./sqlite.read-cache.js";

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
  /** Every API request reads its key's credential. */
  private readonly cache: ReadCache<string, CredentialRecord>;

  constructor(database: Database.Database, foreign: ForeignCommits) {
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
    this.cache = new ReadCache(database, foreign, (keyId) => {
      const row = this.selectOne.get(keyId);
      return row && toRecord(row);
    });
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
    return this.cache.get(keyId);
  }

  credentials(): CredentialRecord[] {
    return this.selectAll.all().map(toRecord);
  }

  /** False when the key is unknown or already revoked; the first revocation time stays. */
  revokeAt(keyId: string, at: Instant): boolean {
    if (!Number.isFinite(at)) throw new Error(`cannot revoke a credential at ${at}`);
    // Revocation takes effect at once: the next request reads the key from the table.
    this.cache.forget(keyId);
    return this.revoke.run(at, keyId).changes === 1;
  }
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
