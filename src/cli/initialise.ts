import { readFile } from "node:fs/promises";
import { formatProblem, parseRulebook } from "../core/rulebook.parse.js";
import type { Instant } from "../core/time.js";
import type { AuditLine, LedgerStore, PublishedRulebook } from "../store/store.js";
import { commandAuditLine } from "./audit.js";
import { defaultRulebookPath } from "./package-root.js";

/** The audit line of the default rulebook's publication by `civic <command>`. */
export function defaultRulebookAudit(command: string): AuditLine<PublishedRulebook> {
  return (version) =>
    commandAuditLine(command, {
      action: "rulebook.publish",
      target: `rulebook:${version.version}`,
      details: { title: version.rulebook.title, rules: version.rulebook.rules.length },
    });
}

/**
 * `civic init` semantics, shared with `civic serve`: publishes the shipped default rulebook as
 * version 1 when none is published; an existing rulebook is kept.
 */
export async function initialiseLedger(
  store: LedgerStore,
  context: Readonly<{ at: Instant; by: string; audit?: AuditLine<PublishedRulebook> }>,
): Promise<{ current: PublishedRulebook; published: boolean }> {
  const existing = await store.currentRulebook();
  if (existing) return { current: existing, published: false };
  const text = await readFile(defaultRulebookPath, "utf8");
  const parsed = parseRulebook(text, defaultRulebookPath);
  if (!parsed.ok) {
    throw new Error(
      `the shipped default rulebook does not compile:\n${parsed.problems.map(formatProblem).join("\n")}`,
    );
  }
  const current = await store.publishRulebook(
    { text, rulebook: parsed.rulebook, publishedAt: context.at, publishedBy: context.by },
    context.audit,
  );
  return { current, published: true };
}
