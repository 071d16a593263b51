/**
 * `nas-ctl evaluate --model <dir> [--dataset <spec>]`: a saved model's accuracy and loss on a
 * dataset split (by default of the dataset model.json records), computed in a `nas-trainer
 * evaluate` process.
 */
import type { Command } from 'commander';
import {
  addModelFlags,
  runTrainerSubcommand,
  trainerArgs,
  type ModelFlags,
} from './trainer-subcommand.ts';

/** Adds `evaluate` to nas-ctl. */
export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      "a saved model's accuracy (percent) and mean cross-entropy on a dataset split (--json: fractions)",
    )
    .option(
      '--dataset <spec>',
      'the dataset to evaluate on (its --split, default test; default: the one the model was trained on)',
    );
  addModelFlags(command).action(async (flags: ModelFlags) => {
    process.exitCode = await runTrainerSubcommand(trainerArgs('evaluate', flags));
  });
}
