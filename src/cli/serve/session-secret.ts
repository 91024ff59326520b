import { randomBytes } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The HMAC key of citizens' session tokens: random, kept across restarts, readable by owner only. */
export const sessionSecretBytes = 32;

export function sessionSecretPath(dataDirectory: string): string {
  return join(dataDirectory, "session-secret");
}

/** Reads the data folder's session secret, creating it (mode 0600) on first use. */
export async function loadSessionSecret(dataDirectory: string): Promise<Buffer> {
  const path = sessionSecretPath(dataDirectory);
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (text !== undefined) {
    const secret = Buffer.from(text.trim(), "base64url");
    if (secret.length !== sessionSecretBytes) {
      throw new Error(
        `${path} does not hold a ${sessionSecretBytes}-byte secret; delete it to make a new one (signs every citizen out)`,
      );
    }
    return secret;
  }
  const secret = randomBytes(sessionSecretBytes);
  // "wx": two servers starting at once cannot overwrite each other's secret.
  await writeFile(path, `${secret.toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  await chmod(path, 0o600);
  return secret;
}
