/**
 * Output folders a command writes (`--run-dir`, `--out`): made one level at a time and proven
 * writable before anything starts. Node's recursive mkdir loops forever, unkillable, on a path it
 * cannot make such as `/proc/nope`; each level made on its own fails at once instead.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CellsearchError } from '../../shared/errors.ts';

/** An output folder that cannot be made or written. */
export class OutputDirError extends CellsearchError {
  constructor(flag: string, dir: string, why: string) {
    super('INVALID_ARGUMENT', `${flag} ${dir}: ${why}`);
  }
}

/**
 * Makes `dir` (and missing parents) and checks a file can be created in it; throws
 * {@link OutputDirError} naming `flag` and the folder when a part of the path is a file, a level
 * cannot be made, or the folder is not writable (a read-only or special file system).
 */
export function prepareOutputDir(dir: string, flag: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  let stats = statOrNull(at, flag, dir);
  while (stats === null) {
    missing.unshift(at);
    at = dirname(at);
    stats = statOrNull(at, flag, dir);
  }
  if (!stats.isDirectory()) {
    const why = missing.length === 0 ? 'not a directory' : `${at} is not a directory`;
    throw new OutputDirError(flag, dir, why);
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      throw new OutputDirError(flag, dir, `cannot create ${level}: ${errnoText(err)}`);
    }
  }
  probeWritable(resolve(dir), flag, dir);
}

/** Creates and removes a file in `dir`: the only check that holds for root and read-only mounts alike. */
function probeWritable(dir: string, flag: string, shown: string): void {
  const probe = join(dir, `.cellsearch-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    throw new OutputDirError(flag, shown, `cannot write in it: ${errnoText(err)}`);
  }
  rmSync(probe, { force: true });
}

/** The stats of `path`, or null when nothing is there. */
function statOrNull(path: string, flag: string, dir: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') return null;
    throw new OutputDirError(flag, dir, `cannot look at ${path}: ${errnoText(err)}`);
  }
}

function errnoText(err: unknown): string {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  const words: Readonly<Record<string, string>> = {
    ENOENT: 'no such file or directory (a special file system?)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    ENOSPC: 'no space left on the device',
    EEXIST: 'a file is in the way',
  };
  return words[code] ?? (code === '' ? String(err) : code);
}
