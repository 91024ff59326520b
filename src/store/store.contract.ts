/**
 * The storage contract: one suite, written only against `LedgerStore`, that every adapter runs
 * (`describeLedgerStoreContract("sqlite", () => ...)`). `open` returns a new, empty store each
 * time it is called. Test code only (not built).
 */
import { describe } from "vitest";
import { describeCapsContract } from "./contract/caps.contract.js";
import { describeClockContract } from "./contract/clock.contract.js";
import { describeIngestContract } from "./contract/ingest.contract.js";
import { describeLedgerPropertyContract } from "./contract/ledger.property.contract.js";
import { describePricingContract } from "./contract/pricing.contract.js";
import { describeReadsContract } from "./contract/reads.contract.js";
import { describeRulebookContract } from "./contract/rulebooks.contract.js";
import { describeSubjectsAndSourcesContract } from "./contract/subjects.contract.js";
import { describeTransitionsContract } from "./contract/transitions.contract.js";
import type { LedgerStore } from "./store.js";

export {
  expectCapsHeld,
  expectLedgerConsistent,
} from "./contract/support.js";

export function describeLedgerStoreContract(name: string, open: () => Promise<LedgerStore>): void {
  describe(`LedgerStore contract: ${name}`, () => {
    describeRulebookContract(open);
    describeSubjectsAndSourcesContract(open);
    describeIngestContract(open);
    describePricingContract(open);
    describeCapsContract(open);
    describeTransitionsContract(open);
    describeClockContract(open);
    describeReadsContract(open);
    describeLedgerPropertyContract(open);
  });
}
