import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteDatabasePath } from "../store/sqlite/sqlite.connection.js";
import { openSqliteStore } from "../store/sqlite/sqlite.store.js";
import { runMain } from "../test-support/cli.js";
import { temporaryFolder } from "../test-support/ledger.js";
import { operatorName } from "./audit.js";
import { exitCodes } from "./exit-codes.js";
import { defaultRulebookPath } from "./package-root.js";

// Admin actions taken with the CLI land in the same audit log as those taken over HTTP.
const folder = temporaryFolder("cli-audit");
const data = join(folder.path, "data");
const civic = (...args: string[]) => runMain([...args, "--data", data]);
afterAll(() => folder.remove());

async function auditLog() {
  const store = openSqliteStore({ path: sqliteDatabasePath(data) });
  try {
    return (await store.auditLog(100)).reverse();
  } finally {
    await store.close();
  }
}

describe("the audit log of admin actions from the command line", () => {
  it("names the operator's account, the command and what changed; a refusal writes nothing", async () => {
    expect((await civic("init")).status).toBe(exitCodes.ok);
    const add = ["source", "add", "police", "--kind", "agency", "--types", "traffic.*"];
    expect((await civic(...add)).status).toBe(exitCodes.ok);
    expect((await civic(...add)).status).toBe(exitCodes.failed);
    const subjects = join(folder.path, "subjects.csv");
    writeFileSync(subjects, "id,region\nc-1,north\nc-2,south\nc-1,north\n");
    expect((await civic("enroll", subjects)).status).toBe(exitCodes.ok);
    const rulebook = join(folder.path, "rulebook.yaml");
    copyFileSync(defaultRulebookPath, rulebook);
    const published = await civic("rulebook", "publish", rulebook, "--by", "policy board");
    expect(published.status).toBe(exitCodes.ok);

    const actor = `cli:${operatorName()}`;
    const lines = (await auditLog()).map(({ actor, action, target, details }) => ({
      actor,
      action,
      target,
      details,
    }));
    expect(lines).toEqual([
      {
        actor,
        action: "rulebook.publish",
        target: "rulebook:1",
        details: { command: "civic init", title: expect.any(String), rules: expect.any(Number) },
      },
      {
        actor,
        action: "source.add",
        target: "source:police",
        details: { command: "civic source add", kind: "agency", allowedTypes: ["traffic.*"] },
      },
      {
        actor,
        action: "subjects.enroll",
        target: "2 subjects",
        details: { command: "civic enroll", enrolled: 2, alreadyEnrolled: 0 },
      },
      {
        actor,
        action: "rulebook.publish",
        target: "rulebook:2",
        details: {
          command: "civic rulebook publish",
          title: expect.any(String),
          rules: expect.any(Number),
          publishedBy: "policy board",
        },
      },
    ]);
  });
});
