/**
 * `nas-ctl export-model --model <dir> --out <file.keras>`: a saved model (as `nas-ctl train --out`
 * or `export --weights` write it) as a Keras 3 `.keras` file that `keras.saving.load_model` reads
 * with no code of ours. The conversion reads the model's files as data; it loads no TensorFlow.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { CellsearchError } from '../../shared/errors.ts';
import { writeKerasFile } from '../export/keras-file.ts';
import { prepareOutputDir } from './output-dir.ts';

interface ExportModelFlags {
  readonly model: string;
  readonly out: string;
  readonly force: boolean;
}

/** A flag value export-model cannot use: it names the flag, the value and what is wanted. */
class ExportModelFlagError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Adds `export-model` to nas-ctl. */
export function registerExportModelCommand(program: Command): void {
  program
    .command('export-model')
    .description(
      'write a saved model as a Keras 3 .keras file (for keras.saving.load_model; stock layers only, input normalisation included)',
    )
    .requiredOption(
      '--model <dir>',
      'folder of a saved model (model.json + weights.bin, as nas-ctl train --out writes)',
    )
    .requiredOption('--out <file>', 'the .keras file to write')
    .option('--force', 'replace --out if it exists', false)
    .action(async (flags: ExportModelFlags) => {
      checkModelDir(flags.model);
      if (!flags.out.endsWith('.keras')) {
        throw new ExportModelFlagError(
          `--out ${flags.out}: the name must end in .keras (keras.saving.load_model reads no other)`,
        );
      }
      // Made level by level and probed first: a path that cannot be written fails before any work.
      prepareOutputDir(dirname(flags.out), '--out');
      await writeKerasFile(flags.model, flags.out, { force: flags.force });
      process.stdout.write(`${flags.out}\n`);
    });
}

function checkModelDir(dir: string): void {
  let folder: boolean;
  try {
    folder = statSync(dir).isDirectory();
  } catch {
    throw new ExportModelFlagError(`--model ${dir}: no such folder`);
  }
  if (!folder)
    throw new ExportModelFlagError(
      `--model ${dir}: not a folder (expected a saved model's folder)`,
    );
}
