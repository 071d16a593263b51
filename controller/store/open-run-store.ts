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
 *
 * One controller per run: a search opens its store with `lease`, which holds the run's lease (see
 * run-lease.ts) until `close`; other writable opens are refused while a live holder has it, and
 * read-only opens (the report commands) never look at it.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CorruptRunError,
  NewerSchemaError,
  NotARunError,
  RunExistsError,
  RunInUseError,
} from './errors.ts';
import type { RunConfigRecord } from './records.ts';
import { encodeConfig } from './row-codec.ts';
import type { RunStore } from './run-store.ts';
import { RUN_FILE, SCHEMA_DDL, SCHEMA_VERSION } from './schema.ts';
import { SqliteRunStore } from './sqlite-run-store.ts';
import { checkRunDatabase } from './store-check.ts';
import { onReadOnlyFileSystem, openReadOnlySnapshot } from './read-only-snapshot.ts';
import { problemPlace } from './store-problem.ts';
import { JOURNAL_DDL } from './strategy-journal.ts';
import { LEASE_DDL, refuseIfHeld, RunLease, type LeaseOptions } from './run-lease.ts';

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
  /**
   * Hold the run's lease while open (a search): refused with `RunHeldError` while another live
   * nas-ctl holds it. Needs `commit: 'turn'`, whose transactions the lease fences.
   */
  readonly lease?: boolean | LeaseOptions;
}

/** How to open an existing run store. */
export interface OpenOptions extends StoreOptions {
  /** Open without write access (the report commands); writes then throw. */
  readonly readonly?: boolean;
}

/** How long a connection waits for another one's lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 10_000;

/** How long `nas-ctl doctor --repair` waits for the run to be free, in milliseconds. */
const EXCLUSIVE_WAIT_MS = 250;

/**
 * How a raw run database is opened: `read` and `write` share it with other connections;
 * `exclusive` (the repair) holds SQLite's exclusive lock until closed, so no search uses it meanwhile.
 */
export type RunAccess = 'read' | 'write' | 'exclusive';

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
  const lease = leaseOptions(options);
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    configure(db, options);
    // The lease is taken in the transaction that makes the run: no resume can come first.
    const held = db.transaction(() => {
      db.exec(SCHEMA_DDL);
      db.prepare(
        'INSERT INTO run (id, schema_version, config, created_at) VALUES (1, ?, ?, ?)',
      ).run(SCHEMA_VERSION, encodeConfig(config), now());
      return lease === null ? null : RunLease.acquire(db, dir, now, lease);
    })();
    return new SqliteRunStore(dir, db, now, options.commit ?? 'write', null, held);
  } catch (err) {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    throw err;
  }
}

/**
 * Opens the run in `dir` (for `--resume` and the report commands). Throws {@link NotARunError} naming
 * the path when it is missing or holds no run, {@link NewerSchemaError} for a newer schema, and
 * {@link CorruptRunError} for a damaged one (a missing table or column, a row that does not read back).
 */
export function openRunStore(dir: string, options: OpenOptions = {}): RunStore {
  const readonly = options.readonly === true;
  const leasing = readonly ? null : leaseOptions(options);
  const now = options.now ?? Date.now;
  const db = openRunDatabase(dir, readonly ? 'read' : 'write');
  let lease: RunLease | null = null;
  try {
    if (!readonly) configure(db, options);
    // Before the checks and anything a resume writes: a second search is refused at once.
    if (leasing !== null) lease = RunLease.acquire(db, dir, now, leasing);
    else if (!readonly) refuseIfHeld(db, dir, now());
    // Checked here, so a damaged run is one clear error up front, never a half-read report or an
    // exception deep inside a search: a resume checks every row (and its store reuses the parsed
    // genotypes), a report what SQL can check cheaply; the store checks each row it reads.
    const { problems, genotypes } = checkRunDatabase(db, dir, readonly ? 'read' : 'resume');
    const [first] = problems;
    if (first !== undefined)
      throw new CorruptRunError(dir, problemPlace(first), first.why, problems.length - 1);
    return new SqliteRunStore(dir, db, now, options.commit ?? 'write', genotypes, lease);
  } catch (err) {
    lease?.release();
    db.close();
    throw err;
  }
}

/**
 * The raw database of the run in `dir`, its schema version checked but nothing else (for `nas-ctl
 * doctor`, which must read a damaged run). Throws like {@link openRunStore}, and
 * {@link RunInUseError} when `exclusive` access cannot be had; the caller closes it.
 */
export function openRunDatabase(dir: string, access: RunAccess): Database.Database {
  const file = join(dir, RUN_FILE);
  checkRunDir(dir, file);
  let db: Database.Database;
  try {
    const readonly = access === 'read';
    // On a read-only mount SQLite cannot make the -shm file a WAL read needs: read a copy instead.
    db =
      readonly && onReadOnlyFileSystem(dir)
        ? openReadOnlySnapshot(file)
        : new Database(file, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new NotARunError(dir, `cannot open ${RUN_FILE}: ${messageOf(err)}`);
  }
  try {
    if (access === 'exclusive') lockExclusively(db, dir);
    const version = schemaVersion(db, dir);
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(dir, version, SCHEMA_VERSION);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Takes SQLite's exclusive lock on the run's database file and keeps it until the connection
 * closes. In WAL mode every open connection (a running search's, even idle) holds a shared lock
 * on the file, so the lock is refused while anyone else has the run open: {@link RunInUseError}.
 */
function lockExclusively(db: Database.Database, dir: string): void {
  // Must precede the first read: in WAL mode the mode is chosen when the log is first opened.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma(`busy_timeout = ${EXCLUSIVE_WAIT_MS}`);
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (err) {
    const code = errnoCode(err) ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      throw new RunInUseError(dir);
    throw new NotARunError(dir, `cannot read ${RUN_FILE}: ${messageOf(err)}`);
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
  db.exec(LEASE_DDL);
}

/** The lease a store is to hold (null: none); only a store that commits per turn is fenced by one. */
function leaseOptions(options: StoreOptions): LeaseOptions | null {
  if (options.lease === undefined || options.lease === false) return null;
  if (options.commit !== 'turn')
    throw new RangeError("a store that holds the run lease commits per turn (commit: 'turn')");
  return options.lease === true ? {} : options.lease;
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
