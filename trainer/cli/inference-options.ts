/**
 * The flags `nas-trainer predict` and `evaluate` share: the model folder, the backend, the batch
 * size, the dataset split and JSON output, and how they open the model on that backend.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { setupBackend } from '../backend.ts';
import type { SplitName } from '../infer/dataset-split.ts';
import { openSavedModel, type SavedModel } from '../infer/saved-model.ts';
import type { BackendChoice } from '../tf.ts';

/** The shared flags, parsed. */
export interface InferenceFlags {
  readonly model: string;
  readonly backend: BackendChoice;
  readonly batchSize: number;
  readonly split: SplitName;
  readonly json: boolean;
}

/** Adds the shared flags to `command`. */
export function addInferenceOptions(command: Command): Command {
  return command
    .requiredOption('--model <dir>', 'folder of a saved model (model.json + weights.bin)')
    .addOption(
      new Option('--split <name>', 'which split of --dataset')
        .choices(['test', 'train'])
        .default('test'),
    )
    .option('--batch-size <n>', 'images per forward pass', batchSize, 64)
    .addOption(
      new Option('--backend <name>', 'tfjs backend')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option('--json', 'print JSON instead of text', false);
}

/** Sets up the backend, then loads the model of `--model`. */
export async function openModel(flags: InferenceFlags): Promise<SavedModel> {
  await setupBackend(flags.backend);
  return openSavedModel(flags.model);
}

function batchSize(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 4096) {
    throw new InvalidArgumentError(`"${value}" is not a batch size; allowed: 1..4096`);
  }
  return n;
}
