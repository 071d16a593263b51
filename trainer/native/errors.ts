/**
 * Errors of `nas-trainer install-tensorflow`. Each says what is wrong, with which value, what is
 * allowed and where, so the one line the CLI prints is enough to fix the machine.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** The machine is not one the installer can build for (only linux x64 is supported). */
export class UnsupportedPlatformError extends CellsearchError {
  constructor(
    readonly platform: string,
    readonly arch: string,
  ) {
    super(
      'UNSUPPORTED_PLATFORM',
      `install-tensorflow: platform ${platform}-${arch} is not supported; allowed: linux-x64`,
    );
  }
}

/** A program the install needs (Python, a C++ compiler, make, node-gyp, npm) is not there. */
export class ToolNotFoundError extends CellsearchError {
  constructor(
    code: string,
    readonly tool: string,
    where: string,
    hint: string,
  ) {
    super(code, `install-tensorflow: ${tool} not found (${where}); ${hint}`);
  }
}

/** `--python` names no executable program. */
export class PythonNotFoundError extends ToolNotFoundError {
  constructor(python: string, path: string) {
    super(
      'PYTHON_NOT_FOUND',
      `python "${python}"`,
      python.includes('/') ? 'no such executable file' : `not on PATH ${path}`,
      'pass --python <exe> naming a Python 3 with pip, or give the wheel with --wheel',
    );
  }
}

/** No C++ compiler: neither $CXX nor c++ / g++ on PATH. */
export class CompilerNotFoundError extends ToolNotFoundError {
  constructor(looked: string, path: string) {
    super(
      'COMPILER_NOT_FOUND',
      'a C++ compiler',
      `looked for ${looked} on PATH ${path}`,
      'install one (Debian: apt-get install g++ make) or set CXX to its path',
    );
  }
}

/** Another build tool (make, node-gyp, npm) is missing. */
export class BuildToolNotFoundError extends ToolNotFoundError {
  constructor(tool: string, looked: string, hint: string) {
    super('BUILD_TOOL_NOT_FOUND', tool, `looked for ${looked}`, hint);
  }
}

/** The Python runs but has no pip module. */
export class PipMissingError extends CellsearchError {
  constructor(readonly python: string) {
    super(
      'PIP_MISSING',
      `install-tensorflow: ${python} has no pip (\`${python} -m pip\` fails); install pip for it (python3 -m ensurepip) or pass --python <exe> or --wheel <file>`,
    );
  }
}

/** `pip download` failed; the message carries pip's last lines. */
export class PipDownloadError extends CellsearchError {
  constructor(
    readonly requirement: string,
    exitCode: number,
    output: string,
  ) {
    super(
      'PIP_DOWNLOAD_FAILED',
      `install-tensorflow: pip could not download ${requirement} (exit ${exitCode}): ${output}; check pip's index (pip config list) or give the wheel with --wheel <file>`,
    );
  }
}

/** A wheel file that cannot be opened as a zip archive. */
export class WheelUnreadableError extends CellsearchError {
  constructor(
    readonly wheel: string,
    reason: string,
  ) {
    super('WHEEL_UNREADABLE', `install-tensorflow: cannot read wheel ${wheel}: ${reason}`);
  }
}

/** A wheel member that could not be written out (a broken member, a full disk). */
export class WheelExtractError extends CellsearchError {
  constructor(
    readonly wheel: string,
    readonly member: string,
    target: string,
    reason: string,
  ) {
    super(
      'WHEEL_EXTRACT_FAILED',
      `install-tensorflow: cannot extract ${member} of wheel ${wheel} to ${target}: ${reason}`,
    );
  }
}

/** A TensorFlow wheel that lacks a member the build needs (the C library, its headers). */
export class WheelMemberMissingError extends CellsearchError {
  constructor(
    readonly wheel: string,
    readonly member: string,
  ) {
    super(
      'WHEEL_MEMBER_MISSING',
      `install-tensorflow: wheel ${wheel} has no ${member}; allowed: a TensorFlow 2.x wheel for linux x86_64 (tensorflow or tensorflow-cpu), which ships the TensorFlow C library`,
    );
  }
}

/** Wheel files (from `--wheel` or pip) that are not what the install can use. */
export class WheelNotUsableError extends CellsearchError {
  constructor(
    readonly wheel: string,
    problem: string,
  ) {
    super('WHEEL_NOT_USABLE', `install-tensorflow: wheel ${wheel}: ${problem}`);
  }
}

/** The folder the install is built in has less free space than the install needs. */
export class InsufficientDiskSpaceError extends CellsearchError {
  constructor(
    readonly folder: string,
    readonly freeBytes: number,
    readonly neededBytes: number,
  ) {
    super(
      'INSUFFICIENT_DISK_SPACE',
      `install-tensorflow: ${folder} has ${megabytes(freeBytes)} free but the install needs ${megabytes(neededBytes)}; free some space there or set NAS_NATIVE_DIR to a folder on a larger disk`,
    );
  }
}

/** A command the install runs (npm pack, node-gyp) failed; the message carries its last lines. */
export class InstallCommandError extends CellsearchError {
  constructor(
    readonly command: string,
    exitCode: number,
    output: string,
  ) {
    super(
      'INSTALL_COMMAND_FAILED',
      `install-tensorflow: \`${command}\` failed (exit ${exitCode}): ${output}`,
    );
  }
}

/** The binding was built but does not load in a fresh Node.js process. */
export class BindingLoadError extends CellsearchError {
  constructor(
    readonly binding: string,
    reason: string,
  ) {
    super(
      'BINDING_LOAD_FAILED',
      `install-tensorflow: the built binding ${binding} does not load: ${reason}`,
    );
  }
}

/** `n` bytes as megabytes for messages, e.g. `853 MB`. */
export function megabytes(n: number): string {
  return `${Math.round(n / 1e6).toLocaleString('en-US')} MB`;
}
