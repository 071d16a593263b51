/**
 * `nas-trainer evaluate --model <dir> [--dataset <spec>]`: a saved model's accuracy (percent) and
 * mean cross-entropy on a dataset split (by default of the dataset it was trained on, as recorded
 * in model.json); `--json` gives them as fractions.
 */
import type { Command } from 'commander';
import { loadSplitFor } from '../infer/dataset-split.ts';
import { evaluateModel } from '../infer/run-model.ts';
import {
  addInferenceOptions,
  datasetFor,
  openModel,
  type InferenceFlags,
} from './inference-options.ts';

interface EvaluateFlags extends InferenceFlags {
  readonly dataset?: string;
}

/** Adds `evaluate` to the nas-trainer program. */
export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description("a saved model's accuracy and loss on a dataset split")
    .option(
      '--dataset <spec>',
      'the dataset to evaluate on (its --split, default test; default: the one the model was trained on)',
    );
  addInferenceOptions(command).action(async (flags: EvaluateFlags) => {
    const saved = await openModel(flags);
    try {
      const spec = datasetFor(saved, flags.dataset, flags.model);
      const split = await loadSplitFor(saved, spec, flags.split, true);
      const result = await evaluateModel(saved, split.data, flags.batchSize);
      if (flags.json) {
        const line = { dataset: split.dataset, split: split.split, ...result };
        process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      const percent = (100 * result.accuracy).toFixed(2);
      process.stdout.write(
        `accuracy ${percent}% (${result.correct}/${result.count}), loss ${result.loss.toFixed(4)} on ${split.dataset} ${split.split} split\n`,
      );
    } finally {
      saved.dispose();
    }
  });
}
