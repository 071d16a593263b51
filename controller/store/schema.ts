/**
 * The run database's schema (`<run-dir>/run.sqlite`), created once with the run. Bump
 * {@link SCHEMA_VERSION} on any change and teach `openRunStore` to migrate the older versions.
 *
 * Invariants the schema itself enforces:
 *   - one `run` row, holding the config written at creation;
 *   - a trial has a finish order exactly when its status is final (succeeded, failed, cancelled),
 *     and finish orders are unique, so they number the finished trials 1, 2, 3, ...;
 *   - epochs belong to an existing trial, one row per (trial, epoch);
 *   - `trial_counts` holds the number of trials in each status (triggers keep it).
 * Timestamps are milliseconds since the Unix epoch. NaN metrics are stored as NULL.
 */

/** The schema this version writes and the newest one it reads. */
export const SCHEMA_VERSION = 1;

/** The database file's name inside a run directory. */
export const RUN_FILE = 'run.sqlite';

/** How many strategy snapshots a run keeps (the newest ones). */
export const KEPT_SNAPSHOTS = 3;

/** Every status a stored trial can have, queued first. */
export const TRIAL_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/**
 * The objects of schema {@link SCHEMA_VERSION} by name, each one statement (or a table with its
 * rows), in creation order. The derived ones (counts, triggers, indexes, snapshots) can be made
 * again from the data: `nas-ctl doctor --repair` recreates them when missing.
 */
export const SCHEMA_OBJECTS = {
  run: `CREATE TABLE run (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  schema_version INTEGER NOT NULL,
  config TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;`,
  trials: `CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL,
  genotype TEXT NOT NULL,
  hash TEXT NOT NULL,
  meta TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 1,
  trainer TEXT,
  reward REAL,
  reason TEXT NOT NULL DEFAULT '',
  result TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  finish_order INTEGER UNIQUE,
  CHECK ((finish_order IS NULL) = (status IN ('queued', 'running')))
) STRICT;`,
  trials_by_status: 'CREATE INDEX trials_by_status ON trials (status);',
  trials_by_hash: 'CREATE INDEX trials_by_hash ON trials (hash);',
  trials_by_reward: `CREATE INDEX trials_by_reward ON trials (reward DESC, finish_order)
  WHERE status = 'succeeded' AND reward IS NOT NULL;`,
  // Trials by status, kept by triggers in the same transaction as every change: counting is O(1)
  // however long the run (the search asks between dispatches).
  trial_counts: `CREATE TABLE trial_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
INSERT INTO trial_counts (status, n)
  VALUES ('queued', 0), ('running', 0), ('succeeded', 0), ('failed', 0), ('cancelled', 0);`,
  trials_count_insert: `CREATE TRIGGER trials_count_insert AFTER INSERT ON trials BEGIN
  UPDATE trial_counts SET n = n + 1 WHERE status = NEW.status;
END;`,
  trials_count_update: `CREATE TRIGGER trials_count_update AFTER UPDATE OF status ON trials
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE trial_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE trial_counts SET n = n + 1 WHERE status = NEW.status;
END;`,
  epochs: `CREATE TABLE epochs (
  trial_id INTEGER NOT NULL REFERENCES trials (id),
  epoch INTEGER NOT NULL,
  train_loss REAL,
  train_accuracy REAL,
  validation_loss REAL,
  validation_accuracy REAL,
  learning_rate REAL,
  seconds REAL,
  images_per_second REAL,
  PRIMARY KEY (trial_id, epoch)
) STRICT, WITHOUT ROWID;`,
  snapshots: `CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  finished_trials INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;`,
} as const;

/** The name of a table, index or trigger of the schema. */
export type SchemaObject = keyof typeof SCHEMA_OBJECTS;

/** The DDL of schema {@link SCHEMA_VERSION}, run in the transaction that creates a run. */
export const SCHEMA_DDL = Object.values(SCHEMA_OBJECTS).join('\n');

/** The columns the code reads and writes, by table (a table may have more). */
export const SCHEMA_COLUMNS = {
  run: ['id', 'schema_version', 'config', 'created_at'],
  trials: [
    'id',
    'candidate_id',
    'genotype',
    'hash',
    'meta',
    'status',
    'attempts',
    'trainer',
    'reward',
    'reason',
    'result',
    'created_at',
    'started_at',
    'finished_at',
    'finish_order',
  ],
  trial_counts: ['status', 'n'],
  epochs: [
    'trial_id',
    'epoch',
    'train_loss',
    'train_accuracy',
    'validation_loss',
    'validation_accuracy',
    'learning_rate',
    'seconds',
    'images_per_second',
  ],
  snapshots: ['id', 'finished_trials', 'snapshot', 'created_at'],
  strategy_journal: ['seq', 'kind', 'candidate_id', 'reward'],
} as const;
