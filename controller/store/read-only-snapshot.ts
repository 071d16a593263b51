/**
 * Reading a run on a read-only file system (a read-only mount, a snapshot volume). SQLite cannot
 * read a WAL-mode database there on its own: even a read-only connection must create the `-shm`
 * file beside it ("unable to open database file"), and the URI `?immutable=1` that would avoid it is
 * off in better-sqlite3's build. Nothing on this machine can change such a run, so a copy read once
 * is exact: the file and its WAL are copied to a temporary directory, the WAL replayed there, and
 * the result opened read-only in memory; the temporary copy is removed before this returns.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Whether `dir` is on a read-only file system (EROFS), where SQLite cannot make its `-shm` file. */
export function onReadOnlyFileSystem(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return false;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EROFS';
  }
}

/**
 * A read-only in-memory copy of the SQLite database `file`, with the commits in its `-wal` applied.
 * Throws SQLite's error when the file is no database.
 */
export function openReadOnlySnapshot(file: string): Database.Database {
  const scratch = mkdtempSync(join(tmpdir(), 'cellsearch-read-only-'));
  try {
    const copy = join(scratch, 'copy.sqlite');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const writable = new Database(copy, { fileMustExist: true });
    let image: Buffer;
    try {
      // Replays the WAL into the file and leaves it in rollback mode, which a memory image needs.
      writable.pragma('journal_mode = DELETE');
      image = writable.serialize();
    } finally {
      writable.close();
    }
    return new Database(image, { readonly: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
