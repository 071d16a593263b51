/**
 * The flags `nas-trainer predict` and `evaluate` share: the model folder, the backend, the batch
 * size, the dataset split and JSON output, and how they open the model on that backend.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { printable } from '../../shared/printable.ts';
import { setupBackend } from '../backend.ts';
import { NoDatasetError } from '../infer/errors.ts';
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

/**
 * The dataset spec to run `saved` on: `given` (--dataset), else the one `nas-trainer train`
 * recorded in the model, checked before it is used; throws NoDatasetError naming the model folder
 * when there is neither or the recorded one does not parse.
 */
export function datasetFor(saved: SavedModel, given: string | undefined, modelDir: string): string {
  if (given !== undefined) return given;
  const recorded = saved.dataset;
  if (recorded === undefined) {
    throw new NoDatasetError(
      `--dataset is needed: the model in ${printable(modelDir)} records no dataset`,
    );
  }
  try {
    parseDatasetSpec(recorded);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new NoDatasetError(
      `the model in ${printable(modelDir)} records dataset ${printable(JSON.stringify(recorded))}, ` +
        `which is not a dataset spec (${printable(why)}); give --dataset`,
    );
  }
  return recorded;
}

function batchSize(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 4096) {
    throw new InvalidArgumentError(`"${value}" is not a batch size; allowed: 1..4096`);
  }
  return n;
}
