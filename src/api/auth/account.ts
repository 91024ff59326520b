import type { Instant } from "../../core/time.js";
import type { AccessStore } from "../../store/access.store.js";
import {
  activationCodeHash,
  constantTimeEqual,
  hashPassphrase,
  hashSecret,
  passphraseMatches,
} from "./secrets.js";

export const passphraseLengthMin = 12;
/** Bounds the scrypt input: a megabyte passphrase would only cost the server time. */
export const passphraseLengthMax = 256;
export const activationCodeLengthMax = 64;

/**
 * A well-formed scrypt hash that matches no passphrase: sign-in checks an unknown subject against
 * it, so that an unknown subject and a wrong passphrase cost the same time and get the same answer.
 */
const decoyPassphraseHash = `scrypt$16384$${"A".repeat(22)}$${"A".repeat(43)}`;
const decoyCodeHash = hashSecret("decoy-activation-code");

export type Activation = Readonly<{
  subjectId: string;
  activationCode: string;
  passphrase: string;
}>;

/**
 * Sets a citizen's passphrase with their one-time activation code. Refuses, with one answer for
 * every case, an unknown subject, a missing, spent, expired or wrong code.
 */
export async function activateAccount(
  store: AccessStore,
  activation: Activation,
  now: Instant,
): Promise<boolean> {
  const account = await store.account(activation.subjectId);
  const storedHash = account?.activationCodeHash;
  const matches = constantTimeEqual(
    activationCodeHash(activation.activationCode),
    storedHash ?? decoyCodeHash,
  );
  const live = account?.activationExpiresAt !== undefined && now < account.activationExpiresAt;
  if (!matches || !live || storedHash === undefined) return false;
  // Of two activations racing with one code, the store lets one win; the other is refused.
  const activated = await store.activateAccount(
    activation.subjectId,
    await hashPassphrase(activation.passphrase),
    now,
  );
  return !("refused" in activated);
}

/** True when the passphrase is the subject's; always spends one scrypt derivation. */
export async function passphraseCorrect(
  store: AccessStore,
  credentials: Readonly<{ subjectId: string; passphrase: string }>,
): Promise<boolean> {
  const account = await store.account(credentials.subjectId);
  const storedHash = account?.passphraseHash;
  const matches = await passphraseMatches(
    credentials.passphrase,
    storedHash ?? decoyPassphraseHash,
  );
  return matches && storedHash !== undefined;
}
