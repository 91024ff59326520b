import type { Rulebook } from "../../core/rulebook.js";
import { formatProblem, parseRulebook } from "../../core/rulebook.parse.js";
import type { PublishedRulebook, RulebookPublication, RulebookSummary } from "../store.js";
import { row, rows, type Sql } from "./postgres.connection.js";

type RulebookRow = {
  version: number;
  title: string;
  text: string;
  published_at: number;
  published_by: string;
};

/**
 * The published rulebooks. Versions are immutable once committed, so compiled ones are cached
 * for good; the current version is read from the database each time, so a rulebook published
 * by another process is seen at once.
 */
export class RulebookShelf {
  private readonly compiled = new Map<number, PublishedRulebook>();

  async current(sql: Sql): Promise<PublishedRulebook | undefined> {
    const latest = await row<{ version: number | null }>(
      sql,
      "SELECT max(version) AS version FROM rulebooks",
    );
    return latest?.version == null ? undefined : this.version(sql, latest.version);
  }

  async version(sql: Sql, version: number): Promise<PublishedRulebook | undefined> {
    const cached = this.compiled.get(version);
    if (cached) return cached;
    const found = await row<RulebookRow>(
      sql,
      "SELECT version, title, text, published_at, published_by FROM rulebooks WHERE version = $1",
      [version],
    );
    if (!found) return undefined;
    const published: PublishedRulebook = {
      version: found.version,
      publishedAt: found.published_at,
      publishedBy: found.published_by,
      text: found.text,
      rulebook: compile(found.text, `rulebook version ${found.version}`),
    };
    this.compiled.set(version, published);
    return published;
  }

  /** Every version in `versions`, compiled; a missing one is a programmer error. */
  async versions(sql: Sql, versions: Iterable<number>): Promise<Map<number, PublishedRulebook>> {
    const found = new Map<number, PublishedRulebook>();
    for (const version of new Set(versions)) {
      const published = await this.version(sql, version);
      if (!published) throw new Error(`rulebook version ${version} is missing`);
      found.set(version, published);
    }
    return found;
  }

  async history(sql: Sql): Promise<RulebookSummary[]> {
    const found = await rows<Omit<RulebookRow, "text">>(
      sql,
      "SELECT version, title, published_at, published_by FROM rulebooks ORDER BY version",
    );
    return found.map((summary) => ({
      version: summary.version,
      title: summary.title,
      publishedAt: summary.published_at,
      publishedBy: summary.published_by,
    }));
  }

  /** Stores the next version inside the caller's transaction; `remember` it after the commit. */
  async insertNext(sql: Sql, publication: RulebookPublication): Promise<PublishedRulebook> {
    const rulebook = compile(publication.text, "the published rulebook");
    const latest = await row<{ version: number | null }>(
      sql,
      "SELECT max(version) AS version FROM rulebooks",
    );
    const version = (latest?.version ?? 0) + 1;
    await sql.query(
      `INSERT INTO rulebooks (version, title, text, published_at, published_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [version, rulebook.title, publication.text, publication.publishedAt, publication.publishedBy],
    );
    await sql.query(
      `INSERT INTO event_types (type) SELECT type FROM unnest($1::text[]) AS type
       ON CONFLICT (type) DO NOTHING`,
      [rulebook.rules.map((rule) => rule.type)],
    );
    return {
      version,
      publishedAt: publication.publishedAt,
      publishedBy: publication.publishedBy,
      text: publication.text,
      rulebook,
    };
  }

  remember(published: PublishedRulebook): void {
    this.compiled.set(published.version, published);
  }
}

/** The stored text is the truth: a publication whose text does not compile is a programmer error. */
function compile(text: string, file: string): Rulebook {
  const parsed = parseRulebook(text, file);
  if (!parsed.ok) {
    throw new Error(`rulebook does not compile: ${parsed.problems.map(formatProblem).join("; ")}`);
  }
  return parsed.rulebook;
}
