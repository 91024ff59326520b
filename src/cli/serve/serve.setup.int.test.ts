import { statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseKey, secretMatches } from "../../api/auth/secrets.js";
import { openTestApp, type TestApp } from "../../test-support/api.js";
import { temporaryFolder } from "../../test-support/ledger.js";
import { adminKeyPath, ensureAdminKey } from "./admin-key.js";
import { loadSessionSecret, sessionSecretPath } from "./session-secret.js";

const folder = temporaryFolder("serve-setup");
let test: TestApp | undefined;
afterAll(() => folder.remove());
afterEach(async () => {
  await test?.close();
  test = undefined;
});

describe("ensureAdminKey", () => {
  it("issues an admin key only when none is live, storing only its hash", async () => {
    test = await openTestApp();
    const { store } = test;
    // The fixture's admin key is live: nothing to do.
    expect(await ensureAdminKey(store, { dataDirectory: folder.path, at: 1 })).toBeUndefined();
    await store.revokeCredential(test.adminKey.slice(4, 16), 2);

    const path = await ensureAdminKey(store, { dataDirectory: folder.path, at: 3 });
    expect(path).toBe(adminKeyPath(folder.path));
    expect(statSync(adminKeyPath(folder.path)).mode & 0o777).toBe(0o600);
    const key = (await readFile(adminKeyPath(folder.path), "utf8")).trim();
    const parsed = parseKey(key);
    const credential = parsed ? await store.credential(parsed.keyId) : undefined;
    expect(credential).toMatchObject({
      role: "admin",
      principal: "admin",
      createdBy: "civic serve",
    });
    expect(credential?.secretHash).not.toContain(parsed?.secret);
    expect(secretMatches(parsed?.secret ?? "", credential?.secretHash ?? "")).toBe(true);
    expect(await ensureAdminKey(store, { dataDirectory: folder.path, at: 4 })).toBeUndefined();
  });
});

describe("loadSessionSecret", () => {
  it("creates a 32-byte secret readable by the owner only, and keeps it across restarts", async () => {
    const directory = temporaryFolder("secret");
    try {
      const first = await loadSessionSecret(directory.path);
      expect(first).toHaveLength(32);
      expect(statSync(sessionSecretPath(directory.path)).mode & 0o777).toBe(0o600);
      expect((await loadSessionSecret(directory.path)).equals(first)).toBe(true);
      writeFileSync(sessionSecretPath(directory.path), "short\n");
      await expect(loadSessionSecret(directory.path)).rejects.toThrow(/32-byte secret/);
    } finally {
      directory.remove();
    }
  });
});
