/**
 * Writing a file a user asked for (an export, a plot, a saved model): a write the disk refuses
 * (full, read-only, no permission) is one clear error naming the file and the cause, never an
 * "internal error". A file is written whole or not at all: into a temporary name beside it, then
 * renamed, so a full disk never leaves half a file where a whole one was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CellsearchError } from '../shared/errors.ts';

/** What each errno of a refused write means for the person who must fix it. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'the disk reported an I/O error',
  EFBIG: 'the file is too large for the file system',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
};

/** A file the disk would not let us write. */
export class OutputFileError extends CellsearchError {
  constructor(
    readonly file: string,
    readonly errno: string,
    detail: string,
  ) {
    super(
      errno === 'ENOSPC' || errno === 'EDQUOT' ? 'DISK_FULL' : 'CANNOT_WRITE',
      `cannot write ${file}: ${CAUSES[errno] ?? detail} (${errno})`,
    );
  }
}

/** The errno code of a failed system call, or null for any other error. */
export function errnoOf(err: unknown): string | null {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : null;
}

/** `err` as an {@link OutputFileError} about `file` when it is a system call's failure, else itself. */
export function asOutputFileError(file: string, err: unknown): unknown {
  const errno = errnoOf(err);
  if (errno === null || err instanceof CellsearchError) return err;
  return new OutputFileError(file, errno, err instanceof Error ? err.message : String(err));
}

/** Writes `data` to `file` whole (its folder made first); throws {@link OutputFileError}. */
export async function writeOutputFile(file: string, data: string | Uint8Array): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(partial, data);
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw asOutputFileError(file, err);
  }
}
