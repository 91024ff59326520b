import { readFile } from "node:fs/promises";
import { formatProblem, parseRulebook } from "../core/rulebook.parse.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore, PublishedRulebook } from "../store/store.js";
import { defaultRulebookPath } from "./package-root.js";

/**
 * `civic init` semantics, shared with `civic serve`: publishes the shipped default rulebook as
 * version 1 when none is published; an existing rulebook is kept.
 */
export async function initialiseLedger(
  store: LedgerStore,
  context: Readonly<{ at: Instant; by: string }>,
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
  const current = await store.publishRulebook({
    text,
    rulebook: parsed.rulebook,
    publishedAt: context.at,
    publishedBy: context.by,
  });
  return { current, published: true };
}
