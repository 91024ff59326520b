import type Database from "better-sqlite3";
import type { Rating } from "../../core/rating.js";
import type { Rulebook } from "../../core/rulebook.js";
import { formatProblem, parseRulebook } from "../../core/rulebook.parse.js";
import type { Instant } from "../../core/time.js";
import type { PublishedRulebook, RulebookPublication, RulebookSummary } from "../store.js";
import { type ForeignCommits, ReadCache } from "./sqlite.read-cache.js";

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
  private readonly selectLatest;
  private readonly selectVersion;
  private readonly selectHistory;
  private readonly insertVersion;
  private readonly insertType;
  private readonly latest: ReadCache<"latest", number>;

  constructor(database: Database.Database, foreign: ForeignCommits) {
    this.selectLatest = database
      .prepare<[], number | null>("SELECT max(version) FROM rulebooks")
      .pluck();
    this.selectVersion = database.prepare<[number], RulebookRow>(
      "SELECT version, title, text, published_at, published_by FROM rulebooks WHERE version = ?",
    );
    this.selectHistory = database.prepare<[], Omit<RulebookRow, "text">>(
      "SELECT version, title, published_at, published_by FROM rulebooks ORDER BY version",
    );
    this.insertVersion = database.prepare<[number, string, string, Instant, string]>(
      `INSERT INTO rulebooks (version, title, text, published_at, published_by)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertType = database.prepare<[string]>(
      "INSERT OR IGNORE INTO event_types (type) VALUES (?)",
    );
    this.latest = new ReadCache(database, foreign, () => this.selectLatest.get() ?? undefined);
  }

  current(): PublishedRulebook | undefined {
    const latest = this.latest.get("latest");
    return latest === undefined ? undefined : this.version(latest);
  }

  version(version: number): PublishedRulebook | undefined {
    const cached = this.compiled.get(version);
    if (cached) return cached;
    const row = this.selectVersion.get(version);
    if (!row) return undefined;
    const published: PublishedRulebook = {
      version: row.version,
      publishedAt: row.published_at,
      publishedBy: row.published_by,
      text: row.text,
      rulebook: compile(row.text, `rulebook version ${row.version}`),
    };
    this.compiled.set(version, published);
    return published;
  }

  history(): RulebookSummary[] {
    return this.selectHistory.all().map((row) => ({
      version: row.version,
      title: row.title,
      publishedAt: row.published_at,
      publishedBy: row.published_by,
    }));
  }

  /** Stores the next version inside the caller's transaction; `remember` it after the commit. */
  insertNext(publication: RulebookPublication): PublishedRulebook {
    const rulebook = compile(publication.text, "the published rulebook");
    const version = (this.selectLatest.get() ?? 0) + 1;
    this.latest.forget("latest");
    this.insertVersion.run(
      version,
      rulebook.title,
      publication.text,
      publication.publishedAt,
      publication.publishedBy,
    );
    for (const rule of rulebook.rules) this.insertType.run(rule.type);
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
    this.latest.forget("latest");
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

export function scoringPolicyChanged(previous: Rulebook, next: Rulebook): boolean {
  if (previous.baseScore !== next.baseScore) return true;
  const ratings = Object.keys(next.ratingThresholds) as Exclude<Rating, "D">[];
  return ratings.some(
    (rating) => previous.ratingThresholds[rating] !== next.ratingThresholds[rating],
  );
}
