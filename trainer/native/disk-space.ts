/** Free-space check before the install writes its ~900 MB (cpu) of libraries. */
import { statfs } from 'node:fs/promises';
import { InsufficientDiskSpaceError } from './errors.ts';

/** Room kept beyond the extracted files: the unpacked package (~4 MB) and the build's objects. */
export const BUILD_MARGIN_BYTES = 64e6;

/** Throws when `freeBytes` in `folder` is less than `neededBytes`. */
export function checkFreeSpace(folder: string, freeBytes: number, neededBytes: number): void {
  if (freeBytes < neededBytes) throw new InsufficientDiskSpaceError(folder, freeBytes, neededBytes);
}

/** Bytes an unprivileged user may still write in the file system that holds `folder`. */
export async function freeBytes(folder: string): Promise<number> {
  const stats = await statfs(folder);
  return stats.bavail * stats.bsize;
}

/** Throws unless `folder`'s file system has `neededBytes` free. */
export async function ensureFreeSpace(folder: string, neededBytes: number): Promise<void> {
  checkFreeSpace(folder, await freeBytes(folder), neededBytes);
}
