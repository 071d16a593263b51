/**
 * `nas-ctl doctor`: finds every problem of a run directory's database and, asked to, repairs what
 * can be repaired after copying the database aside (`run.sqlite.bak-<timestamp>`), then checks again.
 */
import { closeSync, copyFileSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { NotARunError, RunInUseError } from './errors.ts';
import { openRunDatabase } from './open-run-store.ts';
import { RUN_FILE } from './schema.ts';
import { refuseIfHeld } from './run-lease.ts';
import { checkRunDatabase } from './store-check.ts';
import type { StoreProblem } from './store-problem.ts';
import { applyRepairs } from './store-repair.ts';

/** What a repair did. */
export interface RepairReport {
  /** The problems found before repairing. */
  readonly found: readonly StoreProblem[];
  /** Those repaired. */
  readonly repaired: readonly StoreProblem[];
  /** The copy of the database made before any change; null when nothing needed repairing. */
  readonly backup: string | null;
  /** The problems a check after the repair still finds. */
  readonly left: readonly StoreProblem[];
}

/** Every problem of the run in `dir` (an empty list for a sound run). Changes nothing. */
export function diagnoseRun(dir: string): StoreProblem[] {
  refuseUnrecognised(dir);
  const db = openRunDatabase(dir, 'read');
  try {
    return checkRunDatabase(db, dir, 'doctor').problems;
  } finally {
    db.close();
  }
}

/**
 * Repairs the run in `dir`: copies its database aside, applies every repair in one transaction and
 * checks again, holding the database's exclusive lock throughout. Throws `RunHeldError` naming the
 * search that holds the run's lease while it is live (a lapsed or dead holder's lease is no bar),
 * and {@link RunInUseError} when another connection has the run open. A run missing a table nothing
 * can rebuild (`run`, `trials`) or a column is left as it is. `now` stamps the backup's name and the
 * quarantined trials, and judges the lease.
 */
export function repairRun(dir: string, now: () => number = Date.now): RepairReport {
  // Nothing is opened for writing that is not recognisably a run: SQLite takes a 0-byte file for an
  // empty database it may write to, and a repair must never write to what it does not understand.
  refuseUnrecognised(dir);
  // Looked at first, on a shared connection: a live holder is named, not just "in use".
  const reader = openRunDatabase(dir, 'read');
  try {
    refuseIfHeld(reader, dir, now());
  } finally {
    reader.close();
  }
  const db = openRunDatabase(dir, 'exclusive');
  try {
    // Again under the lock: a search that took the lease meanwhile (on another host, whose
    // lock this file system may not share) is refused all the same.
    refuseIfHeld(db, dir, now());
    const found = checkRunDatabase(db, dir, 'doctor').problems;
    const hopeless = found.some((p) => p.repair === null && p.row === null);
    if (hopeless || !found.some((p) => p.repair !== null))
      return { found, repaired: [], backup: null, left: found };
    const at = now();
    const backup = backUp(db, dir, at);
    const repaired = applyRepairs(db, found, at);
    return { found, repaired, backup, left: checkRunDatabase(db, dir, 'doctor').problems };
  } finally {
    db.close();
  }
}

/**
 * Copies the database file aside, with everything its write-ahead log holds folded in first. Under
 * the exclusive lock the checkpoint is complete; if it ever is not, the copy would miss commits, so
 * that is refused as a run in use.
 */
function backUp(db: ReturnType<typeof openRunDatabase>, dir: string, at: number): string {
  const checkpoint = db
    .prepare<[], { busy: number; log: number; checkpointed: number }>(
      'PRAGMA wal_checkpoint(TRUNCATE)',
    )
    .get();
  if (
    checkpoint === undefined ||
    checkpoint.busy !== 0 ||
    checkpoint.log !== checkpoint.checkpointed
  )
    throw new RunInUseError(dir);
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const backup = join(dir, `${RUN_FILE}.bak-${stamp}`);
  copyFileSync(join(dir, RUN_FILE), backup);
  return backup;
}

/** The first 16 bytes of every SQLite 3 database file (the header string, NUL-terminated). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The smallest SQLite database file: one page of the smallest size, 512 bytes. */
const MIN_DATABASE_BYTES = 512;

/**
 * Refuses, with {@link NotARunError} and before SQLite opens it, a run file that is no SQLite
 * database: empty, too short, or without the SQLite header. (A database without a run table is
 * refused by `openRunDatabase` on its read-only connection, also before any write.)
 */
function refuseUnrecognised(dir: string): void {
  const file = join(dir, RUN_FILE);
  const head = Buffer.alloc(MIN_DATABASE_BYTES);
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Missing or unreadable: openRunDatabase says which, in its words.
    return;
  }
  if (read === 0)
    throw new NotARunError(dir, `${RUN_FILE} is empty (0 bytes); nothing was changed`);
  if (read < MIN_DATABASE_BYTES || !head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER))
    throw new NotARunError(
      dir,
      `${RUN_FILE} is not a SQLite database (no SQLite header in its first ${read} bytes); nothing was changed`,
    );
}
