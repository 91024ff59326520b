import type Database from "better-sqlite3";

export type Migration = Readonly<{ version: number; description: string; sql: string }>;

const statusCheck = (column: string) =>
  `CHECK (${column} IN ('effective', 'pending_review', 'capped', 'disputed', 'reversed', 'rejected'))`;
const ratingCheck = (column: string) => `CHECK (${column} IN ('AAA', 'AA', 'A', 'B', 'C', 'D'))`;
// Spelled out, not built from the core's lists: a shipped migration never changes.
const purposeCheck = (column: string) =>
  `CHECK (${column} IN ('credit', 'insurance', 'tenancy', 'employment', 'travel', 'commerce', 'public_task'))`;
const partnerKindCheck = (column: string) =>
  `CHECK (${column} IN ('bank', 'employer', 'landlord', 'shopping_platform', 'tour_operator', 'airline', 'insurer', 'authority'))`;

/**
 * The schema as a numbered list: each migration runs once, in order, in one transaction with the
 * bump of `PRAGMA user_version`. Append new migrations; never edit one that has shipped.
 *
 * Times are INTEGER milliseconds since the epoch. An event and its entry are 1:1, so they share
 * one `entries` row whose integer key is the entry id, appended in order. The ledger is
 * append-only: `entries.status` is a cache of the fold of `entry_transitions`, and
 * `scores` holds the stored scores "as of the ledger clock" (`meta.clock`), in a narrow table of
 * its own: every batch updates thousands of them, and narrow rows mean fewer pages to write.
 *
 * Migration 2 adds who may do what. An entry has at most one appeal, ever (`appeals.entry_id` is
 * unique); an appeal is open while `outcome` is NULL, and its decision columns are set together.
 *
 * Migration 3 adds the columnar copy of the history that the policy lab reads (see
 * sqlite.history.seal.ts): segments of packed columns, their state, and a log that triggers fill
 * with every change to an entry or subject already copied, so that no writer can leave the copy
 * behind. A database migrated to it has nothing copied yet: its history is read row by row until
 * the sealer catches up.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "ledger tables",
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('clock', 0);

      CREATE TABLE rulebooks (
        version INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        published_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE event_types (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('agency', 'partner', 'camera')),
        allowed_types TEXT NOT NULL,
        added_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE subjects (
        internal_id INTEGER PRIMARY KEY,
        external_id TEXT NOT NULL UNIQUE,
        region TEXT NOT NULL,
        enrolled_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE scores (
        subject_id INTEGER PRIMARY KEY REFERENCES subjects (internal_id),
        score INTEGER NOT NULL,
        rating TEXT NOT NULL ${ratingCheck("rating")},
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources (id),
        event_key TEXT NOT NULL,
        payload_hash TEXT NOT NULL,
        subject_id INTEGER NOT NULL REFERENCES subjects (internal_id),
        type_id INTEGER NOT NULL REFERENCES event_types (id),
        occurred_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        evidence TEXT NOT NULL,
        confidence REAL,
        region TEXT,
        attributes TEXT,
        points INTEGER NOT NULL,
        initial_status TEXT NOT NULL CHECK (initial_status IN ('effective', 'pending_review', 'capped')),
        status TEXT NOT NULL ${statusCheck("status")},
        effective_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        rulebook_version INTEGER NOT NULL REFERENCES rulebooks (version),
        UNIQUE (source_id, event_key)
      ) STRICT;
      CREATE INDEX entries_by_subject_type_time ON entries (subject_id, type_id, occurred_at);
      CREATE INDEX entries_counting_by_expiry ON entries (expires_at)
        WHERE status = 'effective' AND points != 0;

      CREATE TABLE entry_transitions (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries (id),
        kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'rejected', 'appealed', 'upheld', 'reversed')),
        actor TEXT NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX entry_transitions_by_entry ON entry_transitions (entry_id);

      CREATE TABLE rating_changes (
        id INTEGER PRIMARY KEY,
        subject_id INTEGER NOT NULL REFERENCES subjects (internal_id),
        at INTEGER NOT NULL,
        from_rating TEXT ${ratingCheck("from_rating")},
        to_rating TEXT NOT NULL ${ratingCheck("to_rating")},
        score INTEGER NOT NULL,
        cause TEXT NOT NULL
          CHECK (cause IN ('enrollment', 'ingest', 'expiry', 'transition', 'rulebook'))
      ) STRICT;
      CREATE INDEX rating_changes_by_subject ON rating_changes (subject_id, id);
    `,
  },
  {
    version: 2,
    description:
      "access tables: credentials, accounts, partners, consents, inquiries, appeals, audit",
    sql: `
      CREATE TABLE credentials (
        key_id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('source', 'partner', 'reviewer', 'admin')),
        principal TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at INTEGER
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE accounts (
        subject_id INTEGER PRIMARY KEY REFERENCES subjects (internal_id),
        activation_code_hash TEXT,
        activation_expires_at INTEGER,
        passphrase_hash TEXT,
        activated_at INTEGER,
        CHECK ((activation_code_hash IS NULL) = (activation_expires_at IS NULL)),
        CHECK ((passphrase_hash IS NULL) = (activated_at IS NULL))
      ) STRICT;

      CREATE TABLE partners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL ${partnerKindCheck("kind")},
        purposes TEXT NOT NULL CHECK (json_valid(purposes)),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        subject_id INTEGER NOT NULL REFERENCES subjects (internal_id),
        partner TEXT NOT NULL REFERENCES partners (name),
        purpose TEXT NOT NULL ${purposeCheck("purpose")},
        granted_at INTEGER NOT NULL,
        until INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX consents_by_subject ON consents (subject_id, granted_at);

      CREATE TABLE inquiries (
        id INTEGER PRIMARY KEY,
        subject_id INTEGER NOT NULL REFERENCES subjects (internal_id),
        partner TEXT NOT NULL REFERENCES partners (name),
        purpose TEXT NOT NULL ${purposeCheck("purpose")},
        disclosure TEXT NOT NULL CHECK (disclosure IN ('rating', 'score', 'eligibility')),
        allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
        refusal TEXT,
        disclosed TEXT NOT NULL CHECK (json_valid(disclosed)),
        at INTEGER NOT NULL,
        CHECK ((allowed = 1) = (refusal IS NULL))
      ) STRICT;
      CREATE INDEX inquiries_by_subject ON inquiries (subject_id, at);

      CREATE TABLE appeals (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entries (id),
        subject_id INTEGER NOT NULL REFERENCES subjects (internal_id),
        statement TEXT NOT NULL,
        evidence_url TEXT,
        opened_at INTEGER NOT NULL,
        deadline_at INTEGER NOT NULL,
        outcome TEXT CHECK (outcome IN ('upheld', 'reversed')),
        decided_by TEXT,
        decided_at INTEGER,
        reason TEXT,
        CHECK ((outcome IS NULL) = (decided_by IS NULL)),
        CHECK ((outcome IS NULL) = (decided_at IS NULL)),
        CHECK ((outcome IS NULL) = (reason IS NULL))
      ) STRICT;
      CREATE INDEX appeals_open_by_deadline ON appeals (deadline_at, id) WHERE outcome IS NULL;
      CREATE INDEX appeals_by_subject ON appeals (subject_id, id);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        at INTEGER NOT NULL,
        details TEXT NOT NULL CHECK (json_valid(details))
      ) STRICT;

      CREATE INDEX entries_pending_review ON entries (id) WHERE status = 'pending_review';
    `,
  },
  {
    version: 3,
    description: "columnar history: segments, their state and the log of later changes",
    sql: `
      CREATE TABLE history_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sealed_through INTEGER NOT NULL,
        subjects_end INTEGER NOT NULL,
        round INTEGER NOT NULL,
        round_open INTEGER NOT NULL CHECK (round_open IN (0, 1)),
        round_entries_through INTEGER NOT NULL,
        round_changes_through INTEGER NOT NULL,
        round_subjects_end INTEGER NOT NULL
      ) STRICT;
      INSERT INTO history_state VALUES (1, 0, 0, 0, 0, 0, 0, 0);

      CREATE TABLE history_recent_segments (
        first_entry INTEGER PRIMARY KEY,
        last_entry INTEGER NOT NULL,
        events INTEGER NOT NULL,
        columns BLOB NOT NULL,
        entry_ids BLOB NOT NULL
      ) STRICT;

      CREATE TABLE history_base_segments (
        first_subject INTEGER PRIMARY KEY,
        end_subject INTEGER NOT NULL,
        sealed_through INTEGER NOT NULL,
        round INTEGER NOT NULL,
        events INTEGER NOT NULL,
        columns BLOB NOT NULL,
        entry_ids BLOB NOT NULL
      ) STRICT;

      CREATE TABLE history_changes (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER,
        subject_id INTEGER NOT NULL
      ) STRICT;

      CREATE TRIGGER history_entry_inserted AFTER INSERT ON entries
        WHEN new.id <= (SELECT sealed_through FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (new.id, new.subject_id); END;
      CREATE TRIGGER history_entry_updated AFTER UPDATE ON entries
        WHEN old.id <= (SELECT sealed_through FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (old.id, old.subject_id); END;
      CREATE TRIGGER history_entry_moved AFTER UPDATE OF id, subject_id ON entries
        WHEN new.id <= (SELECT sealed_through FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (new.id, new.subject_id); END;
      CREATE TRIGGER history_entry_deleted AFTER DELETE ON entries
        WHEN old.id <= (SELECT sealed_through FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (old.id, old.subject_id); END;

      CREATE TRIGGER history_subject_inserted AFTER INSERT ON subjects
        WHEN new.internal_id < (SELECT subjects_end FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (NULL, new.internal_id); END;
      CREATE TRIGGER history_subject_updated AFTER UPDATE ON subjects
        WHEN old.internal_id < (SELECT subjects_end FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (NULL, old.internal_id); END;
      CREATE TRIGGER history_subject_moved AFTER UPDATE OF internal_id ON subjects
        WHEN new.internal_id < (SELECT subjects_end FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (NULL, new.internal_id); END;
      CREATE TRIGGER history_subject_deleted AFTER DELETE ON subjects
        WHEN old.internal_id < (SELECT subjects_end FROM history_state)
        BEGIN INSERT INTO history_changes (entry_id, subject_id) VALUES (NULL, old.internal_id); END;
    `,
  },
];

export function schemaVersion(database: Database.Database): number {
  return database.pragma("user_version", { simple: true }) as number;
}

/** Brings the database to the latest schema; re-running it on a current database does nothing. */
export function migrate(
  database: Database.Database,
  list: readonly Migration[] = migrations,
): number {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error("migrations must be numbered 1, 2, 3...");
  });
  const latest = list.length;
  const apply = database.transaction(() => {
    // Read inside the write transaction: two processes opening a new file at once migrate once.
    const current = schemaVersion(database);
    if (current > latest) {
      throw new Error(
        `the database has schema version ${current}, newer than this program's ${latest}`,
      );
    }
    for (const migration of list.slice(current)) {
      database.exec(migration.sql);
      database.pragma(`user_version = ${migration.version}`);
    }
  });
  apply.immediate();
  return latest;
}

/** A read-only connection cannot migrate: it needs the schema this program writes. */
export function requireCurrentSchema(
  database: Database.Database,
  list: readonly Migration[] = migrations,
): void {
  const current = schemaVersion(database);
  if (current !== list.length) {
    throw new Error(
      `the database has schema version ${current}, this program needs ${list.length}; open it once for writing (e.g. civic verify) to migrate`,
    );
  }
}
