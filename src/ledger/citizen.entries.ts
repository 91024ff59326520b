import { countsAt, displayedStatus, type EntryStatus } from "../core/entry.js";
import type { Rule, Rulebook } from "../core/rulebook.js";
import type { Instant } from "../core/time.js";
import type { AppealRecord } from "../store/access.store.js";
import type { EntryRecord, LedgerStore } from "../store/store.js";

/**
 * Charter items 1 and 3: an entry as its subject sees it, with the reason for every point (the
 * rule and the rulebook version that priced it), its source and evidence, and any open appeal.
 */
export type CitizenEntry = Readonly<{
  entry: EntryRecord;
  rule: Rule;
  status: EntryStatus;
  counts: boolean;
  openAppeal: AppealRecord | undefined;
}>;

/** Each entry with the rule of the rulebook version that priced it, as seen at `at`. */
export function describeEntries(
  input: Readonly<{
    entries: readonly EntryRecord[];
    appeals: readonly AppealRecord[];
    rulebooks: ReadonlyMap<number, Rulebook>;
    at: Instant;
  }>,
): CitizenEntry[] {
  const openAppeals = new Map<number, AppealRecord>();
  for (const appeal of input.appeals) {
    if (appeal.outcome === undefined) openAppeals.set(appeal.entryId, appeal);
  }
  return input.entries.map((entry) => ({
    entry,
    rule: ruleOf(entry, input.rulebooks),
    status: displayedStatus(entry, input.at),
    counts: countsAt(entry, input.at),
    openAppeal: openAppeals.get(entry.id),
  }));
}

function ruleOf(entry: EntryRecord, rulebooks: ReadonlyMap<number, Rulebook>): Rule {
  const rule = rulebooks.get(entry.rulebookVersion)?.ruleByType.get(entry.type);
  // Published rulebooks are never changed, and an entry exists only because one priced it.
  if (!rule) {
    throw new Error(
      `entry ${entry.id}: rulebook version ${entry.rulebookVersion} has no rule '${entry.type}'`,
    );
  }
  return rule;
}

/** The published rulebooks that priced `entries`, by version. */
export async function rulebooksOf(
  store: LedgerStore,
  entries: readonly EntryRecord[],
): Promise<Map<number, Rulebook>> {
  const versions = [...new Set(entries.map((entry) => entry.rulebookVersion))];
  const published = await Promise.all(versions.map((version) => store.rulebookVersion(version)));
  const rulebooks = new Map<number, Rulebook>();
  for (const rulebook of published)
    if (rulebook) rulebooks.set(rulebook.version, rulebook.rulebook);
  return rulebooks;
}
