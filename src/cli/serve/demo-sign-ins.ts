import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DemoCity } from "../../sim/demo.js";

export function demoSignInsPath(dataDirectory: string): string {
  return join(dataDirectory, "demo-sign-ins.txt");
}

/** What `civic serve` prints after seeding the demo city: how long it took, and the sign-ins. */
export function demoSignInsText(
  city: DemoCity,
  context: Readonly<{ url: string; dataDirectory: string; adminKeyPath: string }>,
): string {
  const { report, signIns } = city;
  const { citizen, reviewer, partner } = signIns;
  const { url } = context;
  const audit = report.audit.ok
    ? "audit: every score matches"
    : `audit FAILED (${report.audit.differenceCount} differences, seed ${report.seed})`;
  const json = "-H 'content-type: application/json'";
  const session = JSON.stringify({ subjectId: citizen.subjectId, passphrase: citizen.passphrase });
  const inquiry = JSON.stringify({
    subjectId: citizen.subjectId,
    purpose: partner.purpose,
    disclosure: "score",
  });
  return `demo city seeded in ${city.seconds.toFixed(1)} s: ${report.subjects.toLocaleString("en-US")} subjects in ${report.regions.length} regions, ${report.days} days of simulated conduct up to now, ${report.outcomes.accepted.toLocaleString("en-US")} entries; ${audit}
sign-ins (also in ${demoSignInsPath(context.dataDirectory)}, mode 0600):
  citizen   ${citizen.subjectId}, passphrase ${citizen.passphrase}
            an appeal reversed, an expired entry, the insurance discount in progress
            curl -s -X POST ${url}/v1/session ${json} -d '${session}'
  reviewer  ${reviewer.name}, key ${reviewer.key}
            ${report.reviews.waitingAtEnd} entries wait for review, ${report.appeals.openAtEnd} appeals are open: GET ${url}/v1/reviews, GET ${url}/v1/appeals
  partner   ${partner.name}, key ${partner.key}
            ${citizen.subjectId} consented to '${partner.purpose}':
            curl -s -X POST ${url}/v1/inquiries -H 'authorization: Bearer ${partner.key}' ${json} -d '${inquiry}'
  admin     key in ${context.adminKeyPath}
`;
}

export async function writeDemoSignIns(dataDirectory: string, text: string): Promise<void> {
  const path = demoSignInsPath(dataDirectory);
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}
