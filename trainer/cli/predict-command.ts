/**
 * `nas-trainer predict --model <dir> <images...>` or `--dataset <spec>`: the most probable class of
 * each image under a saved model, one line per image (file or split[index], class index and name,
 * probability); `--json` gives one JSON object per line with every class's probability.
 */
import type { Command } from 'commander';
import { CellsearchError } from '../../shared/errors.ts';
import { imageBytes } from '../data/image-dataset.ts';
import { loadSplitFor } from '../infer/dataset-split.ts';
import { readImageFiles } from '../infer/image-files.ts';
import { predictImages, type Prediction } from '../infer/run-model.ts';
import type { SavedModel } from '../infer/saved-model.ts';
import {
  addInferenceOptions,
  datasetFor,
  openModel,
  type InferenceFlags,
} from './inference-options.ts';

interface PredictFlags extends InferenceFlags {
  readonly dataset?: string;
}

/** One image to classify: its name and, from a dataset, its label. */
interface Item {
  readonly name: string;
  readonly label?: number;
}

/** A `predict` given no images, or images and a dataset at once. */
class PredictInputError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Adds `predict` to the nas-trainer program. */
export function registerPredictCommand(program: Command): void {
  const command = program
    .command('predict [images...]')
    .description('classify PNG/JPEG images (or a dataset split) with a saved model')
    .option(
      '--dataset <spec>',
      'classify this dataset split instead of image files (given no images: the dataset the model was trained on)',
    );
  addInferenceOptions(command).action(async (images: string[], flags: PredictFlags) => {
    if (images.length > 0 && flags.dataset !== undefined) {
      throw new PredictInputError('predict takes image files or --dataset <spec>, not both');
    }
    const saved = await openModel(flags);
    try {
      const dataset = images.length > 0 ? undefined : datasetFor(saved, flags.dataset, flags.model);
      const { items, pixels } = await inputs(saved, images, { ...flags, dataset });
      const predictions = await predictImages(saved, pixels, flags.batchSize);
      predictions.forEach((p, i) => print(saved, items[i] ?? { name: String(i) }, p, flags.json));
    } finally {
      saved.dispose();
    }
  });
}

async function inputs(
  saved: SavedModel,
  images: readonly string[],
  flags: PredictFlags,
): Promise<{ items: Item[]; pixels: Uint8Array }> {
  if (flags.dataset === undefined) {
    return {
      items: images.map((name) => ({ name })),
      pixels: await readImageFiles(images, saved.input),
    };
  }
  const { split, data } = await loadSplitFor(saved, flags.dataset, flags.split, false);
  const items = Array.from({ length: data.count }, (_, i) => ({
    name: `${split}[${i}]`,
    label: data.labels[i] ?? 0,
  }));
  return { items, pixels: data.images.subarray(0, data.count * imageBytes(data.shape)) };
}

function print(saved: SavedModel, item: Item, p: Prediction, json: boolean): void {
  const name = saved.classNames?.[p.class];
  if (json) {
    const line = {
      input: item.name,
      class: p.class,
      ...(name === undefined ? {} : { name }),
      probability: p.probability,
      ...(item.label === undefined ? {} : { label: item.label }),
      probabilities: p.probabilities,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const label = item.label === undefined ? '' : `  (label ${item.label})`;
  const cls = name === undefined ? `${p.class}` : `${p.class} ${name}`;
  process.stdout.write(`${item.name}  ${cls}  ${p.probability.toFixed(4)}${label}\n`);
}
