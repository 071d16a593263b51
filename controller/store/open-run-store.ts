/**
 * Creating and opening run directories.
 *
 * Durability: the database runs in WAL mode with `synchronous = NORMAL` by default. Every write is a
 * transaction that is appended to the WAL file before the method returns, so killing the process
 * (kill -9, a crash, an OOM kill) at any moment loses nothing that a method has returned from: no
 * finished trial is lost, and SQLite replays the WAL on the next open. What NORMAL gives up against
 * FULL is only the fsync per commit, i.e. the last commits before a power loss or kernel crash (the
 * database stays consistent either way). Pass `synchronous: 'full'` to survive those too, at the
 * price of one fsync per write. With `commit: 'turn'` the unit is the event-loop turn instead of the
 * write: a kill loses at most the current turn's writes, which `afterCommit` has not yet released.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NewerSchemaError, NotARunError, RunExistsError } from './errors.ts';
import type { RunConfigRecord } from './records.ts';
import { encodeConfig } from './row-codec.ts';
import type { RunStore } from './run-store.ts';
import { RUN_FILE, SCHEMA_DDL, SCHEMA_VERSION } from './schema.ts';
import { SqliteRunStore } from './sqlite-run-store.ts';
import { JOURNAL_DDL } from './strategy-journal.ts';

/** How to open a run store. */
export interface StoreOptions {
  /** SQLite's `synchronous` setting: `normal` survives process crashes, `full` power loss too. */
  readonly synchronous?: 'normal' | 'full';
  /** The clock for timestamps, in milliseconds since the Unix epoch (default `Date.now`). */
  readonly now?: () => number;
  /**
   * `write` (default): every write is its own transaction, committed before the method returns.
   * `turn`: the writes of one event-loop turn share one transaction, committed when the turn ends
   * (`setImmediate`); `afterCommit` runs code once they are durable. For high trial rates.
   */
  readonly commit?: 'write' | 'turn';
}

/** How to open an existing run store. */
export interface OpenOptions extends StoreOptions {
  /** Open without write access (the report commands); writes then throw. */
  readonly readonly?: boolean;
}

/** How long a connection waits for another one's lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 10_000;

/** Creates a run in `dir` (made if missing); throws {@link RunExistsError} if it already holds one. */
export function createRunStore(
  dir: string,
  config: RunConfigRecord,
  options: StoreOptions = {},
): RunStore {
  const file = join(dir, RUN_FILE);
  mkdirSync(dir, { recursive: true });
  try {
    closeSync(openSync(file, 'wx'));
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw new RunExistsError(dir);
    throw err;
  }
  const now = options.now ?? Date.now;
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    configure(db, options);
    db.transaction(() => {
      db.exec(SCHEMA_DDL);
      db.prepare(
        'INSERT INTO run (id, schema_version, config, created_at) VALUES (1, ?, ?, ?)',
      ).run(SCHEMA_VERSION, encodeConfig(config), now());
    })();
    return new SqliteRunStore(dir, db, now, options.commit ?? 'write');
  } catch (err) {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    throw err;
  }
}

/**
 * Opens the run in `dir` (for `--resume` and the report commands). Throws {@link NotARunError} naming
 * the path when it is missing or holds no run, and {@link NewerSchemaError} for a newer schema.
 */
export function openRunStore(dir: string, options: OpenOptions = {}): RunStore {
  const file = join(dir, RUN_FILE);
  checkRunDir(dir, file);
  const readonly = options.readonly === true;
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new NotARunError(dir, `cannot open ${RUN_FILE}: ${messageOf(err)}`);
  }
  try {
    const version = schemaVersion(db, dir);
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(dir, version, SCHEMA_VERSION);
    if (!readonly) configure(db, options);
    return new SqliteRunStore(dir, db, options.now ?? Date.now, options.commit ?? 'write');
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkRunDir(dir: string, file: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new NotARunError(dir, 'not a directory');
  } catch (err) {
    if (err instanceof NotARunError) throw err;
    throw new NotARunError(dir, errnoCode(err) === 'ENOENT' ? 'no such directory' : messageOf(err));
  }
  try {
    statSync(file);
  } catch {
    throw new NotARunError(dir, `no ${RUN_FILE} in it`);
  }
}

/** The run's schema version; a file that is not SQLite or has no run table is not a run. */
function schemaVersion(db: Database.Database, dir: string): number {
  let row: { schema_version: unknown } | undefined;
  try {
    const table = db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'run'",
      )
      .get();
    if (table?.n !== 1) throw new NotARunError(dir, `${RUN_FILE} holds no cellsearch run`);
    row = db
      .prepare<[], { schema_version: unknown }>('SELECT schema_version FROM run WHERE id = 1')
      .get();
  } catch (err) {
    if (err instanceof NotARunError) throw err;
    throw new NotARunError(dir, `cannot read ${RUN_FILE}: ${messageOf(err)}`);
  }
  if (typeof row?.schema_version !== 'number') {
    throw new NotARunError(dir, `${RUN_FILE} holds no cellsearch run (no run record)`);
  }
  return row.schema_version;
}

function configure(db: Database.Database, options: StoreOptions): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.exec(JOURNAL_DDL);
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
