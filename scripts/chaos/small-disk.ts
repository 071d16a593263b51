/**
 * A small disk for one run: a tmpfs of a few MiB mounted on a fresh temporary folder (root only),
 * which the campaign can fill to the last byte and free again. Unmounted by the registry's clean-up
 * (lazily: a killed process may still hold a file there for a moment).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRegistry } from './processes.ts';
import { messageOf } from './trainer-probe.ts';

/** A mounted small disk. */
export interface SmallDisk {
  /** Its mount point. */
  readonly dir: string;
  /** Fills it with a filler file until the file system refuses a byte more; returns the bytes written. */
  fill(): number;
  /** Bytes free on it now. */
  freeBytes(): number;
  /** Removes the filler file. */
  free(): void;
  /** Unmounts it now (the registry would at the end). */
  unmount(): void;
}

/** Mounts a tmpfs of `bytes` on a fresh folder; a string says why it could not (not root, ...). */
export function mountSmallDisk(
  registry: ProcessRegistry,
  label: string,
  bytes: number,
): SmallDisk | string {
  const dir = registry.tempDir(label);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    return `cannot mount a ${bytes >> 20} MiB tmpfs (${messageOf(err).slice(0, 120)})`;
  }
  const unmount = registry.atCleanUp(() => {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // unmounted already
    }
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    fill: () => fillFile(filler),
    freeBytes: () => {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    free: () => rmSync(filler, { force: true }),
    unmount,
  };
}

/** Appends to `path` in shrinking chunks until even one byte is refused (ENOSPC). */
function fillFile(path: string): number {
  const fd = openSync(path, 'a');
  let written = 0;
  try {
    for (let chunk = 1 << 20; chunk >= 1; chunk >>= 4) {
      const block = Buffer.alloc(chunk);
      for (;;) {
        try {
          const n = writeSync(fd, block);
          written += n;
          if (n === 0) break;
        } catch (err) {
          if (err instanceof Error && 'code' in err && err.code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
