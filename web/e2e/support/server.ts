import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type App, buildApp } from "../../../src/api/app.js";
import { webRoot } from "../../../src/cli/commands/serve.command.js";
import { initialiseLedger } from "../../../src/cli/initialise.js";
import { ensureAdminKey } from "../../../src/cli/serve/admin-key.js";
import { loadSessionSecret } from "../../../src/cli/serve/session-secret.js";
import { openSqliteStore, sqliteDatabasePath } from "../../../src/store/sqlite/sqlite.store.js";
import { temporaryFolder } from "../../../src/test-support/ledger.js";

export type WebServer = Readonly<{
  url: string;
  adminKey: string;
  app: App;
  close: () => Promise<void>;
}>;

/**
 * The real service on a free port, as `civic serve` runs it: a fresh data folder, the default
 * rulebook, an admin key written to the folder, the built web app, the real clock.
 */
export async function startWebServer(): Promise<WebServer> {
  if (!existsSync(join(webRoot, "index.html"))) {
    throw new Error(`the web app is not built at ${webRoot}: run \`npm run build\` first`);
  }
  const folder = temporaryFolder("web-e2e");
  const store = openSqliteStore({ path: sqliteDatabasePath(folder.path) });
  const clock = () => Date.now();
  await initialiseLedger(store, { at: clock(), by: "web e2e" });
  const keyPath = await ensureAdminKey(store, { dataDirectory: folder.path, at: clock() });
  if (!keyPath) throw new Error("a fresh data folder must get an admin key");
  const app = await buildApp({
    store,
    clock,
    sessionSecret: await loadSessionSecret(folder.path),
    webRoot,
    // The tests sign in many times from one address.
    rateLimits: { requestsPerMinute: 1_000_000, signInsPerMinute: 1_000_000 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminKey: readFileSync(keyPath, "utf8").trim(),
    app,
    async close() {
      await app.close();
      await store.close();
      folder.remove();
    },
  };
}
