import type { Instant } from "../../core/time.js";
import type { AccountRecord } from "../access.store.js";
import { row, type Sql } from "./postgres.connection.js";
import type { SubjectDirectory } from "./postgres.subjects.js";

type AccountRow = {
  subject_id: string;
  activation_code_hash: string | null;
  activation_expires_at: number | null;
  passphrase_hash: string | null;
  activated_at: number | null;
};

const selectAccount = `
  SELECT subject.external_id AS subject_id, account.activation_code_hash,
    account.activation_expires_at, account.passphrase_hash, account.activated_at
  FROM accounts account JOIN subjects subject ON subject.subject_id = account.subject_id
  WHERE account.subject_id = $1`;

/**
 * Citizens' accounts: a one-time activation code (its hash) and, once activated, the hash of
 * the passphrase. Only hashes are stored; the API hashes and compares. Each write is one
 * statement on the subject's row, so no ledger lock is needed.
 */
export class AccountBook {
  constructor(private readonly subjects: SubjectDirectory) {}

  async account(sql: Sql, subjectId: string): Promise<AccountRecord | undefined> {
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) return undefined;
    const found = await row<AccountRow>(sql, selectAccount, [internalId]);
    return found && toRecord(found);
  }

  /** An unknown subject is a programmer error: the API issues codes to enrolled subjects. */
  async setActivationCode(
    sql: Sql,
    subjectId: string,
    codeHash: string,
    expiresAt: Instant,
  ): Promise<void> {
    if (codeHash.length === 0) throw new Error("an activation code hash must not be empty");
    if (!Number.isFinite(expiresAt)) throw new Error(`invalid activation expiry ${expiresAt}`);
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    if (internalId === undefined) throw new Error(`no subject '${subjectId}'`);
    await sql.query(
      `INSERT INTO accounts (subject_id, activation_code_hash, activation_expires_at)
       VALUES ($1, $2, $3)
       ON CONFLICT (subject_id) DO UPDATE SET
         activation_code_hash = excluded.activation_code_hash,
         activation_expires_at = excluded.activation_expires_at`,
      [internalId, codeHash, expiresAt],
    );
  }

  /**
   * The code's conditions are in the UPDATE itself: of two activations racing with one code, the
   * second waits for the first's row lock, then finds the code spent and changes nothing.
   */
  async activate(
    sql: Sql,
    subjectId: string,
    passphraseHash: string,
    at: Instant,
  ): Promise<AccountRecord | { refused: string }> {
    if (passphraseHash.length === 0) throw new Error("a passphrase hash must not be empty");
    if (!Number.isFinite(at)) throw new Error(`cannot activate an account at ${at}`);
    const internalId = (await this.subjects.resolve(sql, [subjectId])).get(subjectId);
    const refused = { refused: `subject '${subjectId}' has no unspent, unexpired activation code` };
    if (internalId === undefined) return refused;
    const activated = await row<Omit<AccountRow, "subject_id">>(
      sql,
      `UPDATE accounts SET passphrase_hash = $1, activated_at = $2,
         activation_code_hash = NULL, activation_expires_at = NULL
       WHERE subject_id = $3 AND activation_code_hash IS NOT NULL AND activation_expires_at > $2
       RETURNING activation_code_hash, activation_expires_at, passphrase_hash, activated_at`,
      [passphraseHash, at, internalId],
    );
    return activated ? toRecord({ ...activated, subject_id: subjectId }) : refused;
  }
}

function toRecord(found: AccountRow): AccountRecord {
  return {
    subjectId: found.subject_id,
    activationCodeHash: found.activation_code_hash ?? undefined,
    activationExpiresAt: found.activation_expires_at ?? undefined,
    passphraseHash: found.passphrase_hash ?? undefined,
    activatedAt: found.activated_at ?? undefined,
  };
}
