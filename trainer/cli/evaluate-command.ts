/**
 * `nas-trainer evaluate --model <dir> --dataset <spec>`: a saved model's accuracy (percent) and
 * mean cross-entropy on a dataset split; `--json` gives them as fractions.
 */
import type { Command } from 'commander';
import { loadSplitFor } from '../infer/dataset-split.ts';
import { evaluateModel } from '../infer/run-model.ts';
import { addInferenceOptions, openModel, type InferenceFlags } from './inference-options.ts';

interface EvaluateFlags extends InferenceFlags {
  readonly dataset: string;
}

/** Adds `evaluate` to the nas-trainer program. */
export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description("a saved model's accuracy and loss on a dataset split")
    .requiredOption('--dataset <spec>', 'the dataset to evaluate on (its --split, default test)');
  addInferenceOptions(command).action(async (flags: EvaluateFlags) => {
    const saved = await openModel(flags);
    try {
      const split = await loadSplitFor(saved, flags.dataset, flags.split, true);
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
