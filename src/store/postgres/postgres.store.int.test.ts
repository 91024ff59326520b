import { afterAll, describe } from "vitest";
import {
  dropTestSchemas,
  openTestPostgresStore,
  postgresForTests,
} from "../../test-support/postgres.js";
import { describeLedgerStoreContract } from "../store.contract.js";

const reachable = await postgresForTests("PostgreSQL store contract tests");

describe.skipIf(!reachable)("the PostgreSQL store", () => {
  afterAll(dropTestSchemas);
  describeLedgerStoreContract("postgres", () => openTestPostgresStore());
});
