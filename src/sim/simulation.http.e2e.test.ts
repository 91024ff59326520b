import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../api/app.js";
import { issueKey } from "../api/auth/secrets.js";
import { initialiseLedger } from "../cli/initialise.js";
import {
  openSqliteStore,
  type SqliteStore,
  sqliteDatabasePath,
} from "../store/sqlite/sqlite.store.js";
import { temporaryFolder } from "../test-support/ledger.js";
import { HttpDriver } from "./driver.http.js";
import { runSimulation } from "./simulation.js";

/**
 * The simulated city over real HTTP, through the API's routes with keys: sources report,
 * citizens sign in to consent and appeal, partners ask, reviewers decide. The server runs on
 * its own clock; the crash fault drops a sent batch's connection and delivers the day again.
 */
const folder = temporaryFolder("sim-http");
let store: SqliteStore;
let app: App;
let url = "";
let adminKey = "";

beforeAll(async () => {
  store = openSqliteStore({ path: sqliteDatabasePath(folder.path) });
  await initialiseLedger(store, { at: Date.now(), by: "test" });
  const issued = issueKey();
  await store.createCredential({
    keyId: issued.keyId,
    secretHash: issued.secretHash,
    role: "admin",
    principal: "admin",
    createdAt: Date.now(),
    createdBy: "test",
  });
  adminKey = issued.key;
  app = await buildApp({
    store,
    clock: () => Date.now(),
    sessionSecret: randomBytes(32),
    // Sign-ins are limited per address; every simulated citizen signs in from this one.
    rateLimits: { requestsPerMinute: 1_000_000, signInsPerMinute: 1_000_000 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  await store.close();
  folder.remove();
});

describe("the simulated city over HTTP", () => {
  it("passes the audit with faults, and a second run on the same server keeps apart", async () => {
    for (const prefix of ["run1-", "run2-"]) {
      const driver = new HttpDriver({ url, adminKey, namePrefix: prefix });
      const { report } = await runSimulation(driver, {
        subjects: 150,
        days: 20,
        regions: 4,
        seed: 11,
        endAt: Date.now() - 60_000,
        faults: true,
        idPrefix: prefix,
      });
      expect(report.audit.differences).toEqual([]);
      expect(report.audit.ok).toBe(true);
      expect(report.mode).toBe("http");
      expect(report.crash).toBeDefined();
      expect(report.outcomes.duplicate).toBeGreaterThan(0);
      expect(report.inquiries.allowed + report.inquiries.refused).toBeGreaterThan(0);
    }
  }, 120_000);
});
