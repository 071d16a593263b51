/**
 * A write to a run store that the disk refused (full, read-only, an I/O error): the search stops
 * with this one message, what was committed before it stays as it was, and the same run resumes
 * once the cause is gone.
 */
import { join } from 'node:path';
import { CellsearchError } from '../../shared/errors.ts';

/** What SQLite's result code means for the person who must fix it. */
const CAUSES: readonly (readonly [prefix: string, cause: string])[] = [
  ['SQLITE_FULL', 'the disk holding it is full'],
  ['SQLITE_READONLY', 'it is read-only'],
  ['SQLITE_IOERR', 'the disk reported an I/O error'],
  ['SQLITE_CANTOPEN', 'it cannot be opened for writing'],
];

/** The run store could not save a write; nothing of the failed turn was kept. */
export class RunStoreWriteError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly sqliteCode: string,
    why: string,
  ) {
    super(
      sqliteCode.startsWith('SQLITE_FULL') ? 'RUN_STORE_FULL' : 'RUN_STORE_WRITE',
      `cannot write ${join(dir, 'run.sqlite')}: ${causeOf(sqliteCode, why)} (${sqliteCode}). ` +
        'The results saved before this are intact and the trials in flight are run again: ' +
        `free some space (or fix the disk), then run nas-ctl search --resume ${dir}`,
    );
  }
}

/** True for an error that better-sqlite3 raised for the database itself (a SqliteError). */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  return (
    err instanceof Error &&
    err.name === 'SqliteError' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}

function causeOf(code: string, why: string): string {
  return CAUSES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? why;
}
