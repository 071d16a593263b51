/** The options of `nas-trainer install-tensorflow`, parsed once from its flags. */
import { resolve } from 'node:path';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import type { InstallVariant } from './install-plan.ts';

/** The flags as commander hands them over. */
export interface InstallFlags {
  readonly gpu: boolean;
  readonly wheel?: readonly string[];
  readonly python: string;
  readonly tensorflowVersion: string;
  readonly force: boolean;
}

/** What one install is asked to do. */
export interface InstallOptions {
  readonly variant: InstallVariant;
  /** Wheel files to use instead of pip (absolute paths); empty: pip downloads them. */
  readonly wheels: readonly string[];
  /** The Python whose pip downloads the wheel and which node-gyp runs. */
  readonly python: string;
  /** The TensorFlow version pip downloads (a `--wheel` brings its own). */
  readonly tensorflowVersion: string;
  /** Rebuild even when the same install is already there. */
  readonly force: boolean;
}

/** A release version pip can pin exactly: `2.21.0`, `2.22.0rc1`. */
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(rc[0-9]+)?$/;

/** Parses the flags, listing every bad value with its flag. */
export function parseInstallFlags(flags: InstallFlags, cwd: string): InstallOptions {
  const violations: Violation[] = [];
  if (!VERSION.test(flags.tensorflowVersion)) {
    violations.push({
      path: '--tensorflow-version',
      message: `"${flags.tensorflowVersion}" is not a release version; allowed: <major>.<minor>.<patch>, e.g. 2.21.0`,
    });
  }
  if (flags.python.trim() === '') {
    violations.push({ path: '--python', message: 'empty; allowed: a program name or path' });
  }
  if (violations.length > 0) throw new InvalidValueError('install-tensorflow flags', violations);
  return {
    variant: flags.gpu ? 'gpu' : 'cpu',
    wheels: (flags.wheel ?? []).map((file) => resolve(cwd, file)),
    python: flags.python,
    tensorflowVersion: flags.tensorflowVersion,
    force: flags.force,
  };
}
