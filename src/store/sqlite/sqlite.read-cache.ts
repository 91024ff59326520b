import type Database from "better-sqlite3";

/**
 * Notices commits made by other connections to the same file (a `civic` command beside a
 * running server, say) through SQLite's `data_version`, which changes only then. Caches of this
 * connection drop everything when it moves; this connection's own writes drop their keys.
 */
export class ForeignCommits {
  private readonly dataVersion;
  private seenVersion: number;
  private generationCount = 0;

  constructor(database: Database.Database) {
    this.dataVersion = database.prepare<[], number>("PRAGMA data_version").pluck();
    this.seenVersion = this.dataVersion.get() as number;
  }

  /** Changes whenever another connection committed since the previous call (a few µs). */
  generation(): number {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.generationCount++;
    }
    return this.generationCount;
  }
}

/** Entries a cache holds at most; past that it starts again empty. */
const cachedEntriesMax = 10_000;

/**
 * A read-through cache of rows that a hot path reads on every request (a key's credential, a
 * partner, the current rulebook). Only found rows are kept: a flood of unknown keys costs reads,
 * never memory. Whoever writes a row through this connection must `forget` it. Reads inside a
 * transaction are not kept: they may see a write that is then rolled back.
 */
export class ReadCache<Key, Value> {
  private readonly values = new Map<Key, Value>();
  private filledIn = -1;

  constructor(
    private readonly database: Database.Database,
    private readonly foreign: ForeignCommits,
    private readonly load: (key: Key) => Value | undefined,
  ) {}

  get(key: Key): Value | undefined {
    if (this.database.inTransaction) return this.load(key);
    const generation = this.foreign.generation();
    if (generation !== this.filledIn) {
      this.values.clear();
      this.filledIn = generation;
    }
    const cached = this.values.get(key);
    if (cached !== undefined) return cached;
    const loaded = this.load(key);
    if (loaded === undefined) return undefined;
    if (this.values.size >= cachedEntriesMax) this.values.clear();
    this.values.set(key, loaded);
    return loaded;
  }

  forget(key: Key): void {
    this.values.delete(key);
  }
}
