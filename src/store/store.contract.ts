/**
 * The storage contract: one suite, written only against `LedgerStore` and `AccessStore`, that
 * every adapter runs (`describeLedgerStoreContract("sqlite", () => ...)`). `open` returns a new,
 * empty store each time it is called. Test code only (not built).
 */
import { describe } from "vitest";
import { describeAccessContract } from "./contract/access.contract.js";
import { describeAppealsContract } from "./contract/appeals.contract.js";
import { describeAppealsPropertyContract } from "./contract/appeals.property.contract.js";
import { describeCapsContract } from "./contract/caps.contract.js";
import { describeClockContract } from "./contract/clock.contract.js";
import { describeHistoryContract } from "./contract/history.contract.js";
import { describeIngestContract } from "./contract/ingest.contract.js";
import { describeInquiriesContract } from "./contract/inquiries.contract.js";
import { describeLedgerPropertyContract } from "./contract/ledger.property.contract.js";
import { describeOverdueAppealsContract } from "./contract/overdue.contract.js";
import { describePricingContract } from "./contract/pricing.contract.js";
import { describeReadsContract } from "./contract/reads.contract.js";
import { describeReviewsContract } from "./contract/reviews.contract.js";
import { describeRulebookContract } from "./contract/rulebooks.contract.js";
import { describeStatisticsContract } from "./contract/statistics.contract.js";
import { describeSubjectsAndSourcesContract } from "./contract/subjects.contract.js";
import type { OpenStore } from "./contract/support.js";
import { describeTransitionsContract } from "./contract/transitions.contract.js";

export {
  expectCapsHeld,
  expectLedgerConsistent,
} from "./contract/support.js";

export function describeLedgerStoreContract(name: string, open: OpenStore): void {
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
    describeAccessContract(open);
    describeInquiriesContract(open);
    describeAppealsContract(open);
    describeOverdueAppealsContract(open);
    describeAppealsPropertyContract(open);
    describeReviewsContract(open);
    describeStatisticsContract(open);
    describeHistoryContract(open);
  });
}
