/**
 * `nas-ctl predict --model <dir> <images...>` (or `--dataset <spec>`, or neither: the dataset the
 * model was trained on): classifies images with a saved model in a `nas-trainer predict` process,
 * one line per image (or JSON lines with --json).
 */
import type { Command } from 'commander';
import { CellsearchError } from '../../shared/errors.ts';
import {
  addModelFlags,
  runTrainerSubcommand,
  trainerArgs,
  type ModelFlags,
} from './trainer-subcommand.ts';

/** `predict` given images and a dataset at once. */
class PredictInputError extends CellsearchError {
  constructor() {
    super('INVALID_ARGUMENT', 'predict takes image files or --dataset <spec>, not both');
  }
}

/** Adds `predict` to nas-ctl. */
export function registerPredictCommand(program: Command): void {
  const command = program
    .command('predict [images...]')
    .description(
      'classify PNG/JPEG images (scaled and centre-cropped to the model input) or a dataset split with a saved model: file, class, name, probability',
    )
    .option(
      '--dataset <spec>',
      'classify this dataset split instead of image files (given no images: the dataset the model was trained on)',
    );
  addModelFlags(command).action(async (images: string[], flags: ModelFlags) => {
    if (images.length > 0 && flags.dataset !== undefined) throw new PredictInputError();
    process.exitCode = await runTrainerSubcommand(trainerArgs('predict', flags, images));
  });
}
