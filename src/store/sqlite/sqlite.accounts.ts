import type Database from "better-sqlite3";
import type { Instant } from "../../core/time.js";
import type { AccountRecord } from "../access.store.js";
import type { SubjectDirectory } from "./sqlite.subjects.js";

type AccountRow = {
  subject_id: string;
  activation_code_hash: string | null;
  activation_expires_at: number | null;
  passphrase_hash: string | null;
  activated_at: number | null;
};

const columns = `subject.external_id AS subject_id, account.activation_code_hash,
  account.activation_expires_at, account.passphrase_hash, account.activated_at`;

/**
 * Citizens' accounts: a one-time activation code (its hash) and, once activated, the hash of
 * the passphrase. Only hashes are stored; the API hashes and compares.
 */
export class AccountBook {
  private readonly selectOne;
  private readonly upsertCode;
  private readonly spendCode;

  constructor(
    database: Database.Database,
    private readonly subjects: SubjectDirectory,
  ) {
    this.selectOne = database.prepare<[string], AccountRow>(
      `SELECT ${columns} FROM accounts account
       JOIN subjects subject ON subject.internal_id = account.subject_id
       WHERE subject.external_id = ?`,
    );
    this.upsertCode = database.prepare<[number, string, Instant]>(
      `INSERT INTO accounts (subject_id, activation_code_hash, activation_expires_at)
       VALUES (?, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET
         activation_code_hash = excluded.activation_code_hash,
         activation_expires_at = excluded.activation_expires_at`,
    );
    // The code's conditions are in the UPDATE itself: two activations racing spend it once.
    this.spendCode = database.prepare<[string, Instant, number, Instant]>(
      `UPDATE accounts SET passphrase_hash = ?, activated_at = ?,
         activation_code_hash = NULL, activation_expires_at = NULL
       WHERE subject_id = ? AND activation_code_hash IS NOT NULL AND activation_expires_at > ?`,
    );
  }

  account(subjectId: string): AccountRecord | undefined {
    const row = this.selectOne.get(subjectId);
    return row && toRecord(row);
  }

  /** An unknown subject is a programmer error: the API issues codes to enrolled subjects. */
  setActivationCode(subjectId: string, codeHash: string, expiresAt: Instant): void {
    if (codeHash.length === 0) throw new Error("an activation code hash must not be empty");
    if (!Number.isFinite(expiresAt)) throw new Error(`invalid activation expiry ${expiresAt}`);
    this.upsertCode.run(this.internalId(subjectId), codeHash, expiresAt);
  }

  activate(
    subjectId: string,
    passphraseHash: string,
    at: Instant,
  ): AccountRecord | { refused: string } {
    if (passphraseHash.length === 0) throw new Error("a passphrase hash must not be empty");
    if (!Number.isFinite(at)) throw new Error(`cannot activate an account at ${at}`);
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    const activated =
      internalId !== undefined &&
      this.spendCode.run(passphraseHash, at, internalId, at).changes === 1;
    if (!activated) {
      return { refused: `subject '${subjectId}' has no unspent, unexpired activation code` };
    }
    const account = this.account(subjectId);
    if (!account) throw new Error(`the account of '${subjectId}' vanished inside its transaction`);
    return account;
  }

  private internalId(subjectId: string): number {
    const internalId = this.subjects.resolve([subjectId]).get(subjectId);
    if (internalId === undefined) throw new Error(`no subject '${subjectId}'`);
    return internalId;
  }
}

function toRecord(row: AccountRow): AccountRecord {
  return {
    subjectId: row.subject_id,
    activationCodeHash: row.activation_code_hash ?? undefined,
    activationExpiresAt: row.activation_expires_at ?? undefined,
    passphraseHash: row.passphrase_hash ?? undefined,
    activatedAt: row.activated_at ?? undefined,
  };
}
