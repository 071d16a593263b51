/**
 * The run lease: one controller per run. A search holds a one-row lease in the run's own database
 * (`run_lease`), so every path that reaches the file (a symlink, a relative path, a bind mount)
 * meets the same lease. The holder refreshes its heartbeat every TTL / 6; another search takes the
 * lease over only when that heartbeat is older than the TTL, or at once when the holder ran on this
 * machine and its process is gone (kill -9). Each write transaction of the holder first checks that
 * the row still names it (the fence), so a holder that was frozen past its lease never writes again.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { RunHeldError, RunInUseError, RunTakenOverError } from './errors.ts';
import { holderGone, thisProcess, type ProcessIdentity } from './lease-identity.ts';

/** How long a lease lasts without a heartbeat, in milliseconds. */
export const LEASE_TTL_MS = 30_000;

/** Heartbeats per TTL: five can be missed (a stalled event loop, a busy disk) before a lapse. */
const BEATS_PER_TTL = 6;

/** The lease table; runs created before it get it when opened for writing (as the journal's). */
export const LEASE_DDL = `CREATE TABLE IF NOT EXISTS run_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, boot_id TEXT, pid_ns TEXT,
  started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL
) STRICT`;

/** How a store holds its run's lease. */
export interface LeaseOptions {
  /** How long the lease lasts without a heartbeat, in milliseconds (default {@link LEASE_TTL_MS}). */
  readonly ttlMs?: number;
  /** Where the one line saying that a dead or stale holder's lease was taken goes (default: stderr). */
  readonly notice?: (line: string) => void;
}

/** The lease row. */
interface LeaseRow {
  holder: string;
  host: string;
  pid: number;
  boot_id: string | null;
  pid_ns: string | null;
  started_at: number;
  heartbeat_at: number;
}

/** What a lease row's holder is, seen from `self` at time `at`. */
type Standing = 'live' | 'stale' | 'gone';

/**
 * Throws {@link RunHeldError} when a live holder has the run's lease (for the writers that do not
 * take it: `nas-ctl doctor --repair`, a resume's budget change). A lapsed or dead holder's is no bar.
 */
export function refuseIfHeld(
  db: Database.Database,
  dir: string,
  now: number,
  ttlMs = LEASE_TTL_MS,
): void {
  const row = readLease(db);
  if (row !== null && standing(row, now, ttlMs) === 'live') throw heldError(dir, row, now, ttlMs);
}

/** The lease a store holds: its heartbeat, its fence, its release. */
export class RunLease {
  private lost: RunTakenOverError | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly sql: {
    readonly holder: Database.Statement<[], string>;
    readonly row: Database.Statement<[], LeaseRow>;
    readonly beat: Database.Statement<[number, string]>;
    readonly release: Database.Statement<[string]>;
  };

  private constructor(
    private readonly db: Database.Database,
    private readonly dir: string,
    private readonly holder: string,
    private readonly now: () => number,
    ttlMs: number,
  ) {
    this.sql = {
      // One column, plucked: a tenth of the cost of reading the whole row, once per turn.
      holder: db.prepare<[], string>('SELECT holder FROM run_lease WHERE id = 1').pluck(),
      row: db.prepare('SELECT * FROM run_lease WHERE id = 1'),
      beat: db.prepare('UPDATE run_lease SET heartbeat_at = ? WHERE id = 1 AND holder = ?'),
      release: db.prepare('DELETE FROM run_lease WHERE id = 1 AND holder = ?'),
    };
    this.timer = setInterval(this.beat, ttlMs / BEATS_PER_TTL);
    // A lease never keeps the process alive: the search's own work does.
    this.timer.unref();
  }

  /**
   * Takes the lease of the run in `dir` (whose `run_lease` table exists) in one `BEGIN IMMEDIATE`
   * transaction, or in a savepoint of the caller's open one. Throws {@link RunHeldError} naming a
   * live holder; takes over from a stale or dead one, saying so in one line.
   */
  static acquire(
    db: Database.Database,
    dir: string,
    now: () => number,
    options: LeaseOptions = {},
  ): RunLease {
    const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    const self = thisProcess();
    const holder = randomUUID();
    const take = (): string | null => {
      const at = now();
      const row = readLease(db);
      const was = row === null ? null : standing(row, at, ttlMs, self);
      if (row !== null && was === 'live') throw heldError(dir, row, at, ttlMs);
      db.prepare(
        `INSERT OR REPLACE INTO run_lease
           (id, holder, host, pid, boot_id, pid_ns, started_at, heartbeat_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(holder, self.host, self.pid, self.bootId, self.pidNamespace, at, at);
      return row === null ? null : takeoverLine(dir, row, was === 'gone', at);
    };
    let line: string | null;
    try {
      line = db.transaction(take).immediate();
    } catch (err) {
      throw busy(err) ? lockedError(db, dir, now(), ttlMs) : err;
    }
    if (line !== null) (options.notice ?? toStderr)(line);
    return new RunLease(db, dir, holder, now, ttlMs);
  }

  /**
   * Throws {@link RunTakenOverError} unless the lease row still names this holder. Called first in
   * each write transaction, which holds the database's write lock from its `BEGIN IMMEDIATE`: no
   * takeover (itself a write) can come between this check and the transaction's commit.
   */
  fence(): void {
    if (this.lost !== null) throw this.lost;
    if (this.sql.holder.get() === this.holder) return;
    this.lost = takenOver(this.dir, this.sql.row.get());
    throw this.lost;
  }

  /** Stops the heartbeat and deletes the lease row if it is still this holder's. */
  release(): void {
    clearInterval(this.timer);
    this.sql.release.run(this.holder);
  }

  private readonly beat = (): void => {
    if (!this.db.open) clearInterval(this.timer);
    if (this.lost !== null || !this.db.open) return;
    try {
      if (this.sql.beat.run(this.now(), this.holder).changes > 0) return;
      this.lost = takenOver(this.dir, this.sql.row.get());
    } catch {
      // Busy for longer than the busy timeout: the next beat tries again, and a lapse meanwhile is
      // what the fence is for.
    }
  };
}

/** The lease row; null when there is none, or no table (a run from before leases, opened read-only). */
function readLease(db: Database.Database): LeaseRow | null {
  const table = db
    .prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'run_lease'",
    )
    .get();
  if (table?.n !== 1) return null;
  return db.prepare<[], LeaseRow>('SELECT * FROM run_lease WHERE id = 1').get() ?? null;
}

function standing(
  row: LeaseRow,
  at: number,
  ttlMs: number,
  self: ProcessIdentity = thisProcess(),
): Standing {
  const holder = { host: row.host, pid: row.pid, bootId: row.boot_id, pidNamespace: row.pid_ns };
  if (holderGone(holder, self)) return 'gone';
  return at - row.heartbeat_at >= ttlMs ? 'stale' : 'live';
}

function takenOver(dir: string, row: LeaseRow | undefined): RunTakenOverError {
  return new RunTakenOverError(dir, row === undefined ? null : { host: row.host, pid: row.pid });
}

function heldError(dir: string, row: LeaseRow, at: number, ttlMs: number): RunHeldError {
  const age = at - row.heartbeat_at;
  const holder = {
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
  return new RunHeldError(dir, holder, age, ttlMs - age);
}

/**
 * Another connection held the write lock past the busy timeout: a live holder is named; otherwise
 * the run is in use by a writer that holds no lease (a frozen holder mid-write, another tool).
 */
function lockedError(db: Database.Database, dir: string, at: number, ttlMs: number): Error {
  const row = readLease(db);
  return row !== null && standing(row, at, ttlMs) === 'live'
    ? heldError(dir, row, at, ttlMs)
    : new RunInUseError(dir);
}

function takeoverLine(dir: string, row: LeaseRow, gone: boolean, at: number): string {
  const since = new Date(row.started_at).toISOString();
  const why = gone
    ? 'its process is gone'
    : `no heartbeat for ${Math.round((at - row.heartbeat_at) / 1000)} s`;
  return `nas-ctl: run ${dir}: took over the lease of a ${gone ? 'dead' : 'stale'} nas-ctl (host ${row.host}, pid ${row.pid}, since ${since}; ${why})`;
}

function busy(err: unknown): boolean {
  return (
    err instanceof Error &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('SQLITE_BUSY')
  );
}

function toStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
