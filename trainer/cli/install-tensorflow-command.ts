/** `nas-trainer install-tensorflow`: builds the native backend from a TensorFlow wheel (trainer/native/). */
import type { Command } from 'commander';
import { DEFAULT_TENSORFLOW_VERSION } from '../native/install-plan.ts';
import { parseInstallFlags, type InstallFlags } from '../native/install-options.ts';
import { installTensorflow } from '../native/install-tensorflow.ts';
import { NATIVE_DIR_ENV } from '../native/native-layout.ts';

/** Adds `install-tensorflow` to the nas-trainer program. */
export function registerInstallTensorflowCommand(program: Command): void {
  program
    .command('install-tensorflow')
    .description(
      `build tfjs-node's binding against the TensorFlow C library of a TensorFlow pip wheel and install it for the node backend (in $${NATIVE_DIR_ENV}, else ~/.cache/cellsearch)`,
    )
    .option('--gpu', 'build @tensorflow/tfjs-node-gpu from tensorflow[and-cuda] (untested)', false)
    .option(
      '--wheel <file...>',
      'use these wheel files instead of pip: a TensorFlow wheel (with --gpu, plus nvidia-* wheels) (default: pip downloads them)',
    )
    .option(
      '--python <exe>',
      'Python whose pip downloads the wheel; node-gyp runs it too',
      'python3',
    )
    .option(
      '--tensorflow-version <version>',
      'TensorFlow version pip downloads (a --wheel brings its own)',
      DEFAULT_TENSORFLOW_VERSION,
    )
    .option('--force', 'rebuild even when the same install is already there', false)
    .action(async (flags: InstallFlags) => {
      const opts = parseInstallFlags(flags, process.cwd());
      await installTensorflow(opts, {
        env: process.env,
        log: (line) => process.stdout.write(`${line}\n`),
        platform: process.platform,
        arch: process.arch,
      });
    });
}
