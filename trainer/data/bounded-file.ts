/**
 * Opening and reading one dataset file so that no file can make the read hang or grow without
 * bound: the file is opened without blocking (a FIFO's opening would wait for a writer, and a
 * thread blocked so keeps even `process.exit` from finishing), checked with fstat before a byte is
 * read (only regular files: /dev/zero would stream for ever), checked against the data root by the
 * path actually opened, and read in chunks of a size known beforehand, between which a cancellation
 * is noticed.
 */
import { constants, type Stats } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  CorruptDatasetFileError,
  DatasetFileSizeError,
  DatasetLinkOutsideRootError,
  MissingDatasetFileError,
  NotRegularDatasetFileError,
} from './errors.ts';
import { isInsideFolder } from './path-inside.ts';

/** Bytes read per call: small enough that a cancellation waits for one chunk only. */
const CHUNK_BYTES = 8 * 2 ** 20;

/** An opened regular dataset file and its size when opened. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens `file` (described as `what` in errors) read-only without blocking; throws
 * MissingDatasetFileError, NotRegularDatasetFileError for anything but a regular file, and
 * DatasetLinkOutsideRootError when `root` is given and the file opened lies outside it.
 */
export async function openRegularFile(
  file: string,
  what: string,
  root: string | undefined,
): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    // A device is refused before it is opened (opening some has effects: a tape rewinds); the
    // fstat below still catches a file swapped for one in between.
    const before = await stat(file);
    if (!before.isFile()) throw new NotRegularDatasetFileError(file, kindOf(before));
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (err instanceof NotRegularDatasetFileError) throw err;
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MissingDatasetFileError(file, what);
    throw new CorruptDatasetFileError(file, `cannot be opened (${code ?? String(err)})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularDatasetFileError(file, kindOf(stats));
    if (root !== undefined) await assertOpenedInside(handle, file, root);
    return { handle, size: stats.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Exactly `length` bytes of `handle` from `position`, read in chunks; `signal` is checked before
 * each. Throws DatasetFileSizeError when the file ends first (it shrank while being read).
 */
export async function readExactly(
  opened: OpenedFile,
  file: string,
  position: number,
  length: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    throwIfAborted(signal);
    const want = Math.min(CHUNK_BYTES, length - done);
    const { bytesRead } = await opened.handle.read(out, done, want, position + done);
    if (bytesRead === 0) {
      throw new DatasetFileSizeError(
        file,
        `ended after ${position + done} bytes while it was read; its size was ${opened.size} (it changed)`,
      );
    }
    done += bytesRead;
  }
  return out;
}

/** Throws the reason `signal` was aborted with (an AbortError when it is not an Error). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted !== true) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error
    ? reason
    : new DOMException(`dataset read cancelled: ${String(reason)}`, 'AbortError');
}

/** Refuses a file whose real path, as opened, is outside the real path of `root`. */
async function assertOpenedInside(handle: FileHandle, file: string, root: string): Promise<void> {
  const realRoot = await realpath(root).catch(() => resolve(root));
  const opened = await openedPath(handle, file);
  if (!isInsideFolder(opened, realRoot)) throw new DatasetLinkOutsideRootError(file, root);
}

/**
 * The real path of the file behind `handle`: on Linux what /proc says was opened (no race with a
 * link changed since), elsewhere the real path of `file` now.
 */
async function openedPath(handle: FileHandle, file: string): Promise<string> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return realpath(file);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a folder';
  if (stats.isFIFO()) return 'is a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'is a character device';
  if (stats.isBlockDevice()) return 'is a block device';
  if (stats.isSocket()) return 'is a socket';
  return 'is a special file';
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
