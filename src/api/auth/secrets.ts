import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt cost for passphrases: about 50 ms on this machine's class of CPU. */
const scryptCost = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const scryptKeyBytes = 32;

/** API keys look like `cck_<keyId>_<secret>`: the id is public, only the secret's hash is stored. */
export type IssuedKey = Readonly<{ key: string; keyId: string; secretHash: string }>;

export function issueKey(): IssuedKey {
  const keyId = randomBytes(9).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  return { key: `cck_${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

export function parseKey(key: string): { keyId: string; secret: string } | undefined {
  const match = /^cck_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(key);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : undefined;
}

/** Keys carry 256 random bits, so one SHA-256 suffices; passphrases need scrypt. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

export function secretMatches(secret: string, storedHash: string): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash);
}

export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scryptAsync(passphrase.normalize("NFC"), salt, scryptKeyBytes, scryptCost);
  return `scrypt$${scryptCost.N}$${salt.toString("base64url")}$${derived.toString("base64url")}`;
}

export async function passphraseMatches(passphrase: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, expected] = stored.split("$");
  if (scheme !== "scrypt" || !cost || !salt || !expected) return false;
  const derived = await scryptAsync(
    passphrase.normalize("NFC"),
    Buffer.from(salt, "base64url"),
    scryptKeyBytes,
    {
      ...scryptCost,
      N: Number(cost),
    },
  );
  return constantTimeEqual(derived.toString("base64url"), expected);
}

/** A one-time activation code a person can type: 4 groups of 4 letters and digits. */
export function issueActivationCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(16);
  const characters = [...bytes].map((byte) => alphabet[byte % alphabet.length]);
  return [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join("")).join("-");
}

/**
 * The stored form of an activation code. Codes carry 80 random bits, are short-lived and spent on
 * use, so one SHA-256 suffices; case, spaces and dashes do not matter to the person typing it.
 */
export function activationCodeHash(code: string): string {
  return hashSecret(code.toUpperCase().replace(/[\s-]/g, ""));
}

export function constantTimeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  if (a.length !== b.length) {
    // Spend the same time on a length mismatch, so timing tells nothing.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
